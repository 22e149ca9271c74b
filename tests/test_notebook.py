"""The worked notebook in docs/notebooks is stored with its outputs, runs from start to end,
and still prints what it shows.

The kernel is this interpreter: a kernelspec made for the test names ``sys.executable``, so
the notebook runs in the environment under test whatever kernels the machine has installed.
It runs from the notebook's own directory, as Jupyter runs it: a copy of that directory in
the test's scratch space, beside a link to the bundled examples, so that two runs at once (the
suite's workers) never share the scratch files the notebook writes.

The stored outputs were made with the versions of pandas, polars and matplotlib that
``requirements/dev.txt`` pins (recorded in the notebook's metadata), which are those CI
installs: there the run must print exactly what is stored. An environment with other
versions (the lowest-direct job) runs the notebook and checks what it says, not how a
frame's HTML is laid out. After changing the notebook or what it shows, store its outputs
again with ``python tests/test_notebook.py`` (in the project's environment) and read the
diff.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "docs" / "notebooks" / "analysing-an-export.ipynb"
LOCK = REPO / "requirements" / "dev.txt"
# The libraries whose versions decide how the outputs look.
LIBRARIES = ("pandas", "polars", "matplotlib")


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


def execute(notebook: Any, scratch: Path) -> Any:
    """Run every cell of ``notebook`` (a copy is run; the notebook given is not changed)."""
    ran = copy.deepcopy(notebook)
    house = scratch / "house"
    here = house / NOTEBOOK.parent.relative_to(REPO)
    shutil.copytree(NOTEBOOK.parent, here)
    (house / "examples").symlink_to(REPO / "examples", target_is_directory=True)
    with pytest.MonkeyPatch.context() as patch:
        # Jupyter's own paths, not the deprecated ones (whose warning would be an error here).
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
        matplotlib = scratch / "matplotlib"
        matplotlib.mkdir(parents=True, exist_ok=True)
        patch.setenv("MPLCONFIGDIR", str(matplotlib))
        client = NotebookClient(
            ran,
            km=_kernel(scratch / "kernels"),
            kernel_name="python3",
            timeout=300,
            record_timing=False,
            resources={"metadata": {"path": str(here)}},
        )
        # The client shuts down the kernel it did not make, and closes its channels.
        client.execute(cleanup_kc=True)
    return ran


def installed() -> dict[str, str]:
    return {name: version(name) for name in LIBRARIES}


def pinned() -> dict[str, str]:
    found = dict(re.findall(r"^([a-z0-9_.-]+)==([^\s;\\]+)", LOCK.read_text("utf-8"), re.M))
    return {name: found[name] for name in LIBRARIES}


@pytest.fixture(scope="module")
def stored() -> Any:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    return notebook


@pytest.fixture(scope="module")
def executed(stored: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return execute(stored, tmp_path_factory.mktemp("notebook"))


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


def shown(notebook: Any) -> list[list[dict[str, Any]]]:
    """What each code cell shows, as compared: every output's kind and text, and for an
    image only that there is one (its bytes depend on the machine's fonts). Consecutive
    outputs of one stream are one text: the kernel sends a cell's printing in as many
    pieces as its flushes happen to cut it into, which depends on the machine's load."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs: list[dict[str, Any]] = []
        for output in cell.outputs:
            found: dict[str, Any] = {"type": output.output_type}
            if output.output_type == "stream":
                last = outputs[-1] if outputs else {}
                if last.get("type") == "stream" and last.get("name") == output.name:
                    last["text"] += output.text
                    continue
                found |= {"name": output.name, "text": output.text}
            elif output.output_type in ("display_data", "execute_result"):
                found |= {
                    kind: "(an image)" if kind.startswith("image/") else value
                    for kind, value in output.data.items()
                }
            else:
                found |= {"error": output.get("ename"), "value": output.get("evalue")}
            outputs.append(found)
        cells.append([cell.execution_count, *outputs])
    return cells


def test_the_notebook_is_stored_with_its_outputs(stored: Any) -> None:
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert code
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert all(cell.outputs for cell in code[1:]), "a stored cell shows nothing"
    assert stored.metadata.kernelspec.name == "python3"
    assert set(stored.metadata.qaframework["versions"]) == set(LIBRARIES)
    text = json.dumps(stored)
    # No path of the machine that ran it.
    for private in (str(REPO), str(Path.home()), tempfile.gettempdir()):
        assert private not in text


def test_the_outputs_were_made_with_the_pinned_libraries(stored: Any) -> None:
    assert stored.metadata.qaframework["versions"] == pinned(), (
        "the lock pins other versions: store the outputs again (python tests/test_notebook.py)"
    )


def test_it_prints_what_is_stored(stored: Any, executed: Any) -> None:
    if installed() != stored.metadata.qaframework["versions"]:
        pytest.skip(f"outputs made with {stored.metadata.qaframework['versions']}")
    ran, kept = shown(executed), shown(stored)
    differ = [(a, b) for a, b in zip(ran, kept, strict=False) if a != b][:1]
    assert ran == kept, (
        "the notebook prints something else: store its outputs again "
        f"(python tests/test_notebook.py) and read the diff; first cell that differs, as run "
        f"then as stored: {differ}"
    )


def test_every_cell_runs_without_error(executed: Any) -> None:
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    streams = [o for cell in code for o in cell.outputs if o.output_type == "stream"]
    assert all(o.name == "stdout" for o in streams), [o.text for o in streams]
    assert not (NOTEBOOK.parent / "audits-spoiled.csv").exists()


def test_it_loads_the_export_and_shows_the_rejections(executed: Any) -> None:
    printed = "".join(_outputs(executed, "stream"))
    assert "193 rows read: 193 accepted, 0 rejected" in printed
    assert "193 rows read: 190 accepted, 3 rejected" in printed
    html = "".join(_outputs(executed, "text/html"))
    assert "qaframework-load" in html
    assert "Rejected rows" in html
    assert "&#x27;Excellent&#x27; is not a grade" in html
    assert "is not a real date" in html
    assert "../../examples/swindon/audits.csv" in html
    # A load prints a line, not its records.
    plain = _outputs(executed, "text/plain")
    assert any(p.startswith("<AuditLoad '../../examples/swindon/audits.csv'") for p in plain)
    assert all(len(p) < 5000 for p in plain)


def test_it_shows_the_profile_report_frames_chart_and_sample(executed: Any) -> None:
    html = "".join(_outputs(executed, "text/html"))
    printed = "".join(_outputs(executed, "stream"))
    assert "Swindon Borough Council" in html
    assert "Grade scale" in html
    assert "qaframework-audit" in html
    assert "qaframework-period" in html
    assert "193 audits; good or better: 46% (95% interval 39% to 53%)" in printed
    assert "published view: by_activity, overall, by_standard" in printed
    assert "team and grade counts suppressed" in printed
    assert "seen_alone" in html
    assert "kappa_unweighted" in html
    assert "category" in printed
    assert "'cycle': dtype('&lt;M8[s]')" in printed or "'cycle': dtype('<M8" in printed
    assert len(_outputs(executed, "image/png")) == 1
    assert "qaframework-sample" in html
    assert "stratified" in html
    assert "30 of 172 eligible cases" in html


def test_a_changed_output_is_caught(stored: Any) -> None:
    """The comparison is real: one changed character in a stored output is a difference."""
    changed = copy.deepcopy(stored)
    output = next(
        o for cell in changed.cells for o in cell.get("outputs", []) if o.output_type == "stream"
    )
    output.text = output.text.replace("1", "2", 1)
    assert shown(changed) != shown(stored)


if __name__ == "__main__":
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        ran = execute(notebook, Path(folder))
    ran.metadata.setdefault("qaframework", {})["versions"] = installed()
    if installed() != pinned():
        sys.exit(f"this environment has {installed()}, the lock pins {pinned()}: use dev.py's")
    nbformat.validate(ran)
    nbformat.write(ran, NOTEBOOK)
    print(f"stored the outputs of {NOTEBOOK.relative_to(REPO)}", file=sys.stderr)
