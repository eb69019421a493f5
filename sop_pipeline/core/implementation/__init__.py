"""Implementation (S&OP step 6): the master production schedule handed to ERP."""
