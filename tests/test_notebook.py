"""The worked notebook in docs/notebooks runs from start to end and shows what it says.

The kernel is this interpreter: a kernelspec made for the test names ``sys.executable``, so
the notebook runs in the environment under test whatever kernels the machine has installed.
It runs from the notebook's own directory, as Jupyter runs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

NOTEBOOK = (
    Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "analysing-an-export.ipynb"
)


def _kernel(directory: Path) -> AsyncKernelManager:
    """A kernel manager whose only ``python3`` kernel runs this interpreter."""
    spec = directory / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "qaframework under test",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    specs = KernelSpecManager(kernel_dirs=[str(directory)])
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        # Jupyter's own paths, not the deprecated ones (whose warning would be an error here).
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
        patch.setenv("MPLCONFIGDIR", str(tmp_path_factory.mktemp("matplotlib")))
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        client = NotebookClient(
            notebook,
            km=_kernel(tmp_path_factory.mktemp("kernels")),
            kernel_name="python3",
            timeout=300,
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        # The client shuts down the kernel it did not make, and closes its channels.
        client.execute(cleanup_kc=True)
    return notebook


def _outputs(notebook: Any, kind: str) -> list[str]:
    """Every output of the code cells of one MIME type (``text/plain``, ``stream`` ...)."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if kind == "stream" and output.output_type == "stream":
                found.append(output.text)
            elif kind in output.get("data", {}):
                found.append(output.data[kind])
    return found


def test_the_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert notebook.metadata.kernelspec.name == "python3"


def test_every_cell_runs_without_error(executed: Any) -> None:
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    streams = [o for cell in code for o in cell.outputs if o.output_type == "stream"]
    assert all(o.name == "stdout" for o in streams), [o.text for o in streams]


def test_it_loads_the_export_and_shows_the_rejections(executed: Any) -> None:
    printed = "".join(_outputs(executed, "stream"))
    assert "193 rows read: 193 accepted, 0 rejected" in printed
    assert "193 rows read: 190 accepted, 3 rejected" in printed
    tables = "".join(_outputs(executed, "text/html"))
    assert "&#x27;Excellent&#x27; is not a grade" in tables or "Excellent" in tables
    assert "is not a real date" in tables


def test_it_shows_the_profile_report_frames_chart_and_sample(executed: Any) -> None:
    html = "".join(_outputs(executed, "text/html"))
    printed = "".join(_outputs(executed, "stream"))
    assert "Swindon Borough Council" in html
    assert "Grade scale" in html
    assert "193 audits; good or better: 46% (95% interval 39% to 53%)" in printed
    assert "published view: by_activity, overall, by_standard" in printed
    assert "team and grade counts suppressed" in printed
    assert "seen_alone" in html
    assert len(_outputs(executed, "image/png")) == 1
    assert "qaframework-sample" in html
    assert "stratified" in html
    assert "30 of 172 eligible cases" in html
