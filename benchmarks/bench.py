"""`make bench`: build speed and memory on this machine, printed and saved to build/bench.json.

A benchmark, not a test: nothing here passes or fails; the figures go in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from leafletpress.pipeline.edition import EditionBuilder
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest, plan_build
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.project import Project, find_project, load_project

SAMPLE = [("en", "A4"), ("es", "A5"), ("ar", "A4"), ("bn", "A5"), ("zh-Hans", "A4")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench.py", description=__doc__)
    parser.add_argument("--renders", type=int, default=500, help="renders in the memory run (default 500)")
    parser.add_argument("--out", type=Path, default=None, help="where to save the figures (default build/bench.json)")
    parser.add_argument(
        "--copies", type=int, nargs="*", default=[1, 10],
        help="full builds of this many copies of every leaflet (174 editions each), in a temporary project (default 1 10)",
    )
    args = parser.parse_args(argv)
    project = find_project()
    figures = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="leafletpress-bench-") as scratch:
        scratch = Path(scratch)
        # First, while this process is small: a child's ru_maxrss starts from its parent's.
        figures["scale"] = {str(copies): scaled_build(project, scratch, copies) for copies in args.copies}
        figures["memory"] = memory(project, scratch, args.renders)
        figures["cold_build"] = cold_build(project, scratch)
        figures["jobs"] = jobs_speedup(project, scratch)
        figures["no_op_rebuild_s"] = no_op(project, scratch / "jobs2")
        figures["one_catalog_touched"] = one_catalog(project, scratch)
        figures["per_edition"] = per_edition(project, scratch)
        figures["overhead"] = overhead(project, scratch)
        figures["sizes_kb_by_script"] = sizes_by_script(project, scratch / "jobs2")
        figures["chromium"] = chromium(project, scratch)
        figures["warm_chromium"] = warm_chromium(project, scratch)
    out = args.out or project.root / "build" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print_figures(figures)
    print(f"\nsaved to {out}")
    return 0


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.machine())
    memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_kb / 1024**2, 1),
        "python": platform.python_version(), "weasyprint": version("weasyprint"),
    }


def cli(project: Project, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(project.root / "make_leaflets.py"), *args], cwd=project.root, check=False, capture_output=True)
    return round(time.perf_counter() - started, 3)


def cold_build(project: Project, scratch: Path) -> dict:
    """A fresh process and an empty output folder, every edition, one worker per core."""
    seconds = cli(project, "--out", str(scratch / "cold"), "--force")
    editions = len(json.loads((scratch / "cold" / "manifest.json").read_text())["files"])
    return {"seconds": seconds, "editions": editions, "jobs": os.cpu_count()}


def jobs_speedup(project: Project, scratch: Path) -> dict:
    one = cli(project, "--out", str(scratch / "jobs1"), "--force", "--jobs", "1")
    two = cli(project, "--out", str(scratch / "jobs2"), "--force", "--jobs", "2")
    return {"jobs_1_s": one, "jobs_2_s": two, "speedup": round(one / two, 2)}


def no_op(project: Project, out: Path) -> float:
    return statistics.median(cli(project, "--out", str(out)) for _ in range(5))


def one_catalog(project: Project, scratch: Path) -> dict:
    """Edit the Polish catalog in a copy of the project: only the Polish editions are rebuilt."""
    copy = scratch / "project"
    for folder in ("leaflets", "locales", "templates"):
        shutil.copytree(project.root / folder, copy / folder)
    shutil.copy(project.root / "make_leaflets.py", copy)
    copied = load_project(copy)
    cli(copied, "--out", str(scratch / "touch"))
    catalog = copy / "locales" / "pl" / "LC_MESSAGES" / "leg-cramps.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(copy / "make_leaflets.py"), "--out", str(scratch / "touch")],
        cwd=copy, capture_output=True, text=True, check=False,
    )
    seconds = round(time.perf_counter() - started, 3)
    rebuilt = sorted(line.split()[1].rsplit("/", 1)[-1] for line in result.stdout.splitlines() if line.startswith("wrote"))
    return {"seconds": seconds, "rebuilt": rebuilt}


def per_edition(project: Project, scratch: Path) -> dict:
    """Every edition once more in one warm process: the time each takes, whole pipeline."""
    result = build(project, BuildRequest(out=scratch / "serial", force=True))
    times = sorted(edition.seconds for edition in result.editions)
    return {
        "editions": len(times),
        "median_s": round(statistics.median(times), 3),
        "p90_s": round(times[int(0.9 * (len(times) - 1))], 3),
        "max_s": round(times[-1], 3),
    }


def overhead(project: Project, scratch: Path) -> dict:
    """Our whole pipeline per edition over WeasyPrint's own write_pdf of the same HTML, same process."""
    import weasyprint

    (scratch / "overhead").mkdir(exist_ok=True)
    request = BuildRequest(out=scratch / "overhead", languages=tuple(lang for lang, _ in SAMPLE), force=True, html=True)
    plan = plan_build(project, request, FontLibrary(load_preferences(project.templates_dir / "fonts.toml")))
    builder = EditionBuilder(project, request)
    ratios = {}
    for lang, size in SAMPLE:
        edition = next((e, s) for e, s in zip(plan.editions, plan.sources) if e.language.tag == lang and e.format.name == size)
        for _ in range(2):  # warm up both
            ours = builder(edition)
        html = ours.path.with_suffix(".html").read_text(encoding="utf-8")
        base = str(project.templates_dir) + os.sep
        weasyprint.HTML(string=html, base_url=base).write_pdf()
        our_times, their_times = [], []
        for _ in range(3):
            our_times.append(builder(edition).seconds)
            started = time.perf_counter()
            weasyprint.HTML(string=html, base_url=base).write_pdf(pdf_variant="pdf/ua-1")
            their_times.append(time.perf_counter() - started)
        ratios[f"{lang} {size}"] = {
            "ours_s": round(statistics.median(our_times), 3),
            "weasyprint_s": round(statistics.median(their_times), 3),
            "ratio": round(statistics.median(our_times) / statistics.median(their_times), 2),
        }
    ratios["median_ratio"] = round(statistics.median(value["ratio"] for value in ratios.values()), 2)
    return ratios


def sizes_by_script(project: Project, out: Path) -> dict:
    from leafletpress.inputs.languages import parse_language

    sizes: dict[str, list[int]] = {}
    for item in json.loads((out / "manifest.json").read_text())["files"]:
        language, _, bilingual = item["language"].partition("+")
        script = parse_language(language).script + (" + English" if bilingual else "")
        sizes.setdefault(script, []).append(item["bytes"])
    return {script: {"min": round(min(v) / 1024), "max": round(max(v) / 1024)} for script, v in sorted(sizes.items())}


MEMORY_RUN = """
import json, resource, sys
from pathlib import Path
from leafletpress.pipeline.edition import EditionBuilder
from leafletpress.pipeline.plan import BuildRequest, plan_build
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.project import load_project
project, out, renders = load_project(Path(sys.argv[1])), Path(sys.argv[2]), int(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
request = BuildRequest(out=out, force=True)
plan = plan_build(project, request, FontLibrary(load_preferences(project.templates_dir / "fonts.toml")))
builder = EditionBuilder(project, request)
samples = []
for number in range(1, renders + 1):
    index = number % len(plan.editions)
    builder((plan.editions[index], plan.sources[index]))
    if number % 50 == 0 or number == 10:
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 // 1024**2
        peak = int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))) // 1024
        samples.append({"renders": number, "rss_mb": rss, "peak_mb": peak})
print(json.dumps(samples))
"""


def memory(project: Project, scratch: Path, renders: int) -> dict:
    """One worker's memory over many renders of every edition in turn."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_RUN, str(project.root), str(scratch / "memory"), str(renders)],
        capture_output=True, text=True, check=True, cwd=project.root,
    )
    samples = json.loads(result.stdout)
    return {
        "renders": renders, "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": samples[-1]["peak_mb"], "samples": samples,
    }


def chromium(project: Project, scratch: Path) -> dict | None:
    """Where Debian's chromium is installed: its print-to-PDF of the same HTML, as users' alternative."""
    browser = shutil.which("chromium")
    if browser is None:
        return None
    html_file = project.templates_dir / ".bench-en-A4.html"
    html_file.write_text((scratch / "overhead" / "leg-cramps_en_A4.html").read_text(encoding="utf-8"), encoding="utf-8")
    times = []
    try:
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 f"--user-data-dir={scratch / 'chromium-profile'}", f"--print-to-pdf={scratch / 'chromium.pdf'}",
                 html_file.as_uri()],
                capture_output=True, check=False, timeout=120,
            )
            times.append(time.perf_counter() - started)
    finally:
        html_file.unlink(missing_ok=True)
    return {"print_to_pdf_s": round(statistics.median(times), 2), "bytes": (scratch / "chromium.pdf").stat().st_size}


SCALED_RUN = """
import json, resource, sys, time
from pathlib import Path
from leafletpress.inputs.project import load_project
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
project, out = load_project(Path(sys.argv[1])), Path(sys.argv[2])
started = time.perf_counter()
result = build(project, BuildRequest(out=out, workers=2, force=True))
wall = time.perf_counter() - started
work = sum(edition.seconds for edition in result.editions if edition)
print(json.dumps({
    "editions": len(result.editions), "ok": result.ok, "wall_s": round(wall, 1), "worker_seconds": round(work, 1),
    "wall_over_ideal": round(wall / (work / 2), 2),
    # VmHWM, not ru_maxrss: ru_maxrss survives execve, so it would report the benchmark's own peak.
    "main_peak_mb": int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))) // 1024,
    "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
}))
"""


def scaled_project(project: Project, folder: Path, copies: int) -> Path:
    """A copy of the project with `copies` copies of every leaflet and its catalogs."""
    for name in ("templates",):
        shutil.copytree(project.root / name, folder / name)
    shutil.copy(project.root / "make_leaflets.py", folder)
    (folder / "leaflets").mkdir()
    for path in project.leaflet_paths():
        text = path.read_text(encoding="utf-8")
        for number in range(1, copies + 1):
            copy_id = f"{path.stem}-{number:03d}"
            (folder / "leaflets" / f"{copy_id}.toml").write_text(text.replace(f'id = "{path.stem}"', f'id = "{copy_id}"'), encoding="utf-8")
    for catalog in project.locales_dir.glob("*/LC_MESSAGES/*.po"):
        target = folder / "locales" / catalog.relative_to(project.locales_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        if (project.leaflets_dir / f"{catalog.stem}.toml").exists():
            for number in range(1, copies + 1):
                shutil.copy(catalog, target.with_name(f"{catalog.stem}-{number:03d}.po"))
        else:
            shutil.copy(catalog, target)
    for glossary in project.locales_dir.glob("*/glossary.tbx"):
        shutil.copy(glossary, folder / "locales" / glossary.relative_to(project.locales_dir))
    return folder


def scaled_build(project: Project, scratch: Path, copies: int) -> dict:
    """A full cold build of `copies` copies of the leaflets, 2 workers: wall time against the
    workers' own time, and the peak memory of the main process and of the largest worker."""
    folder = scaled_project(project, scratch / f"scaled-{copies}", copies)
    result = subprocess.run(
        [sys.executable, "-c", SCALED_RUN, str(folder), str(scratch / f"scaled-{copies}-out")],
        capture_output=True, text=True, check=True, cwd=folder,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def warm_chromium(project: Project, scratch: Path) -> dict | None:
    """The same HTML printed by one Chromium kept open (Playwright), against bare WeasyPrint and
    our pipeline (figures["overhead"]): per edition."""
    browser_path = shutil.which("chromium")
    if browser_path is None:
        return None
    from playwright.sync_api import sync_playwright

    times = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        for source in sorted((scratch / "overhead").glob("*.html")):
            html_file = project.templates_dir / f".bench-{source.name}"  # beside the stylesheets it links
            html_file.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            try:
                page.goto(html_file.as_uri())
                page.pdf(prefer_css_page_size=True)  # warm
                samples = []
                for _ in range(3):
                    started = time.perf_counter()
                    page.pdf(prefer_css_page_size=True)
                    samples.append(time.perf_counter() - started)
            finally:
                html_file.unlink(missing_ok=True)
            times[source.stem] = round(statistics.median(samples), 3)
        browser.close()
    values = sorted(times.values())
    return {"median_s": round(statistics.median(values), 3), "max_s": values[-1], "per_edition": times}


def print_figures(figures: dict) -> None:
    m = figures["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, WeasyPrint {m['weasyprint']}")
    cold = figures["cold_build"]
    print(f"cold full build: {cold['seconds']} s for {cold['editions']} editions ({cold['jobs']} workers)")
    per = figures["per_edition"]
    print(f"per edition (warm, whole pipeline): median {per['median_s']} s, p90 {per['p90_s']} s, max {per['max_s']} s")
    over = figures["overhead"]
    print(f"pipeline / WeasyPrint write_pdf of the same HTML: median {over['median_ratio']}")
    for name, value in over.items():
        if name != "median_ratio":
            print(f"    {name}: {value['ours_s']} s vs {value['weasyprint_s']} s = {value['ratio']}")
    jobs = figures["jobs"]
    print(f"--jobs 1: {jobs['jobs_1_s']} s, --jobs 2: {jobs['jobs_2_s']} s, speed-up {jobs['speedup']}")
    print(f"no-op rebuild: {figures['no_op_rebuild_s']} s wall")
    touched = figures["one_catalog_touched"]
    print(f"after editing the Polish catalog: {touched['seconds']} s, rebuilt {', '.join(touched['rebuilt'])}")
    mem = figures["memory"]
    series = ", ".join(f"{s['renders']}: {s['rss_mb']}" for s in mem["samples"])
    print(f"memory, one process, {mem['renders']} renders: peak {mem['peak_rss_mb']} MB; RSS MB after n renders: {series}")
    sizes = ", ".join(f"{script} {v['min']}–{v['max']} KB" for script, v in figures["sizes_kb_by_script"].items())
    print(f"PDF sizes by script: {sizes}")
    chrome = figures["chromium"]
    print(f"chromium print-to-PDF of the English A4 HTML: {chrome['print_to_pdf_s']} s" if chrome else "chromium: not installed")
    warm = figures["warm_chromium"]
    if warm:
        print(f"warm chromium (Playwright), same HTML, per edition: median {warm['median_s']} s, max {warm['max_s']} s")
    for copies, scale in figures["scale"].items():
        print(
            f"full build, {scale['editions']} editions ({copies} cop{'y' if copies == '1' else 'ies'}): {scale['wall_s']} s wall, "
            f"{scale['worker_seconds']} s in workers (wall / ideal {scale['wall_over_ideal']}); "
            f"peak main {scale['main_peak_mb']} MB, largest worker {scale['worker_peak_mb']} MB"
        )


if __name__ == "__main__":
    sys.exit(main())
