"""The closed-loop backtest: the demo company's world planned cycle after cycle by the
pipeline and, on the same world, by two naive spreadsheet policies, and what each achieved."""
