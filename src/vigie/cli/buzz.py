"""`vigie buzz …`: the mention-volume detector on files (benchmarks, replays)."""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import typer

from vigie.cli.context import fail, print_json
from vigie.crisis.volume import VolumeConfig, VolumeDetector

app = typer.Typer(help="Buzz (mention-volume) detection.", no_args_is_help=True)


def _series_files(data_dir: Path) -> Iterator[Path]:
    for path in sorted(data_dir.rglob("*.csv")):
        if path.is_file():
            yield path


def score_file(source: Path, target: Path, config: VolumeConfig) -> tuple[int, int]:
    """Run a fresh detector (cold start) over one ``timestamp,value`` file; return (rows, anomalies)."""
    with source.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"timestamp", "value"} <= set(reader.fieldnames):
            raise ValueError(f"{source}: expected the columns timestamp,value, got {reader.fieldnames}")
        rows = [(row["timestamp"], row["value"]) for row in reader]
    detector = VolumeDetector(config)
    target.parent.mkdir(parents=True, exist_ok=True)
    anomalies = 0
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["timestamp", "value", "anomaly_score", "label"])
        for line, (stamp, raw) in enumerate(rows, start=2):
            try:
                value = float(raw)
                # naive times are taken as UTC by the detector itself
                result = detector.update(datetime.fromisoformat(stamp.strip()), value)
            except ValueError as exc:
                raise ValueError(f"{source}:{line}: {exc}") from exc
            anomalies += result.is_anomaly
            # rounded down, so that a point capped just below the threshold stays below it
            writer.writerow([stamp, raw, f"{math.floor(result.alert_score * 1e6) / 1e6:.6f}", 0])
    return len(rows), anomalies


@app.command("nab")
def nab_command(
    data_dir: Path = typer.Argument(..., help="Folder of timestamp,value CSV files (sub-folders kept)."),
    out_dir: Path = typer.Argument(..., help="Where to write <sub-folder>/<NAME>_<file name>.csv."),
    name: str = typer.Option("vigie", "--name", help="Detector name prefixed to every result file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Run the volume detector (one fixed configuration, cold start per file) in NAB's result format."""
    if not data_dir.is_dir():
        fail(f"{data_dir} is not a folder: give the folder that holds the timestamp,value CSV files")
    sources = list(_series_files(data_dir))
    if not sources:
        fail(f"no .csv file under {data_dir}")
    config = VolumeConfig()
    report: list[dict[str, object]] = []
    started = time.perf_counter()
    for source in sources:
        relative = source.relative_to(data_dir)
        target = out_dir / relative.parent / f"{name}_{relative.name}"
        try:
            rows, anomalies = score_file(source, target, config)
        except ValueError as exc:
            fail(str(exc))
        report.append({"file": str(relative), "result": str(target), "rows": rows, "anomalies": anomalies})
        if not as_json:
            typer.echo(f"{relative}: {rows} rows, {anomalies} anomalies -> {target}")
    elapsed = time.perf_counter() - started
    if as_json:
        print_json({"files": report, "threshold": config.threshold, "seconds": round(elapsed, 3)})
    else:
        typer.echo(f"{len(report)} files in {elapsed:.1f} s (threshold {config.threshold})")
