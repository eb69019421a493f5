"""docs/exports.md and docs/outputs.md hold exactly what the contracts generate now."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.contract_docs import DOCS_DIR, GENERATED, main, render_doc, stale_docs


@pytest.mark.parametrize("file_name", list(GENERATED))
def test_committed_docs_equal_the_generated_contract(file_name: str) -> None:
    block, build = GENERATED[file_name]
    committed = (DOCS_DIR / file_name).read_text(encoding="utf-8")
    assert committed == render_doc(committed, block, build()), (
        f"docs/{file_name} is stale: run `python -m sop_pipeline.io.contract_docs`"
    )


def test_every_file_and_table_is_documented() -> None:
    exports = (DOCS_DIR / "exports.md").read_text(encoding="utf-8")
    outputs = (DOCS_DIR / "outputs.md").read_text(encoding="utf-8")
    assert all(f"### `{name}`" in exports for name in CONTRACTS)
    assert all(f"### `{name}`" in outputs for name in OUTPUT_TABLES)
    assert all(f"| `{c.table}` |" in outputs for c in CONTRACTS.values())


def test_the_generator_rewrites_only_the_generated_block(tmp_path: Path) -> None:
    for file_name, (block, _) in GENERATED.items():
        markers = f"<!-- generated: {block} -->\nold\n<!-- end generated: {block} -->\n"
        text = f"# prose before\n\n{markers}"
        (tmp_path / file_name).write_text(text + "prose after\n", encoding="utf-8")
    assert main(["--docs", str(tmp_path), "--check"]) == 1
    assert main(["--docs", str(tmp_path)]) == 0
    assert stale_docs(tmp_path, write=False) == []
    rewritten = (tmp_path / "exports.md").read_text(encoding="utf-8")
    assert rewritten.startswith("# prose before\n") and rewritten.endswith("prose after\n")
    assert "\nold\n" not in rewritten and "### `items`" in rewritten


def test_a_doc_without_its_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="generated: export contract"):
        render_doc("no markers here", "export contract", "body")


def test_one_export_reference_only() -> None:
    assert not (DOCS_DIR / "inputs.md").exists(), "docs/exports.md is the one export reference"
