"""The dbt project of the reporting layer, as dagster-dbt represents it.

Its manifest (target/manifest.json) is made by dagster-dbt's preparer: on a fresh checkout by
`dagster-dbt project prepare-and-package --file sop_pipeline/defs/dbt/project.py` (the Makefile's
install step), and again at every load under `dagster dev` (`prepare_if_dev`), so edited models
show without a manual parse. This module imports nothing that needs the manifest, so the
preparer can load it before there is one.
"""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
