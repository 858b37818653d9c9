"""Build the course as a static website (a Jupyter Book): what `make site` runs.

    python tools/build_site.py                 run every learner notebook, then build
    python tools/build_site.py --no-execute    build from the notebooks as they are (no outputs)
    python tools/build_site.py --execute-only 00_welcome   run only the notebooks named

Needs the optional extra: `pip install -c constraints.txt -e ".[site]"` (`make site` does it).
The site is written to build/site/_build/html/ (open index.html); nothing in it needs a server.

What it publishes: the learner notebooks of notebooks/, never solutions/, so every exercise
shows "not attempted". The table of contents is the course map of README.md (its parts and
rows), the first page lists every notebook with its status, and a mention of another
notebook (`08_decision_trees`, "notebook 08") becomes a link when that notebook exists. After
the build, every page is checked: a notebook without its page, or a link to a page, file or
anchor that is not in the site, fails the build (exit code 1).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| (\d{2}) \| (\w+) \| (.*) \| (available|planned) \|$")
PART = re.compile(r"^\| +\| \*\*(.+?)\*\* \|")


# --- the course map -------------------------------------------------------------------------

def course_map(readme: Path = ROOT / "README.md") -> list[tuple[str, list[dict]]]:
    """The README's course map as [(part title, [row, ...]), ...]; rows before the first part
    (notebook 00) go in a part called "Start here"."""
    parts: list[tuple[str, list[dict]]] = [("Start here", [])]
    for line in readme.read_text(encoding="utf-8").splitlines():
        if m := PART.match(line):
            parts.append((m.group(1), []))
        elif m := ROW.match(line):
            number, name, what, status = m.groups()
            parts[-1][1].append({"number": number, "stem": f"{number}_{name}",
                                 "title": name.replace("_", " "), "what": what,
                                 "status": status})
    return [(title, rows) for title, rows in parts if rows]


# --- the book's source ----------------------------------------------------------------------

def _link_mentions(text: str, stems: dict[str, str]) -> str:
    """Turn `NN_name` and "notebook NN" outside code into links to that notebook's page.

    ``stems`` maps a number ("08") to its notebook ("08_decision_trees"). Headings, code
    blocks and code spans other than a bare notebook name are left as they are."""
    def plain(piece: str) -> str:
        return re.sub(
            r"(?<!\[)\b([Nn]otebook (\d{2}))\b(?!\])",
            lambda m: (f"[{m.group(1)}]({stems[m.group(2)]}.ipynb)"
                       if m.group(2) in stems else m.group(1)),
            piece,
        )

    names = set(stems.values())
    out, in_block = [], False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            in_block = not in_block
        if in_block or line.lstrip().startswith(("#", "```")) or line.startswith("    "):
            out.append(line)
            continue
        pieces = line.split("`")
        if len(pieces) % 2 == 0:  # an unmatched backtick: leave the line alone
            out.append(line)
            continue
        text_line = plain(pieces[0])
        for i in range(1, len(pieces), 2):
            code, after = pieces[i], pieces[i + 1]
            text_line += f"[`{code}`]({code}.ipynb)" if code in names else f"`{code}`"
            text_line += plain(after)
        out.append(text_line)
    return "".join(out)


def _index_page(parts: list[tuple[str, list[dict]]], available: set[str]) -> str:
    lines = [
        "# mlcourse: the whole job of a machine-learning engineer",
        "",
        "An open, offline, fully tested course. Each page is one of the course's notebooks, as a",
        "learner receives it, run from top to bottom: the exercises show *not attempted*",
        "because they are for you to answer. To work through them, get the course and run",
        "`make lab` (see the README), then open the same notebook in JupyterLab.",
        "",
    ]
    for title, rows in parts:
        lines += [f"## {title}", "", "| # | notebook | what you learn |", "|---|---|---|"]
        for row in rows:
            name = (f"[{row['title']}]({row['stem']}.ipynb)" if row["stem"] in available
                    else f"{row['title']} (planned)")
            lines.append(f"| {row['number']} | {name} | {row['what']} |")
        lines.append("")
    return "\n".join(lines)


def _toc(parts: list[tuple[str, list[dict]]], available: set[str]) -> str:
    lines = ["format: jb-book", "root: index", "parts:"]
    for title, rows in parts:
        chapters = [row["stem"] for row in rows if row["stem"] in available]
        if chapters:
            lines += [f"  - caption: {json.dumps(title)}", "    chapters:"]
            lines += [f"      - file: {stem}" for stem in chapters]
    return "\n".join(lines) + "\n"


def _config(execute: list[str] | None, all_stems: list[str]) -> str:
    if execute is None:
        mode, exclude = "force", []
    elif execute:
        mode, exclude = "force", [f"{s}.ipynb" for s in all_stems if s not in execute]
    else:
        mode, exclude = "off", []
    return "\n".join([
        "title: mlcourse",
        "author: the mlcourse authors",
        "copyright: MIT licence",
        "only_build_toc_files: true",
        "execute:",
        f"  execute_notebooks: {mode}",
        "  timeout: 300",
        "  allow_errors: false",
        f"  exclude_patterns: {json.dumps(exclude)}",
        "html:",
        "  use_repository_button: false",
        "  use_issues_button: false",
        "  use_edit_page_button: false",
        "launch_buttons:",
        "  notebook_interface: jupyterlab",
        "  thebe: false",
        "sphinx:",
        "  config:",
        "    html_show_sourcelink: false",
        "    nb_merge_streams: true",
        # the checks' own result type; their HTML and text versions are shown instead
        "    suppress_warnings: [\"mystnb.unknown_mime_type\"]",
        "",
    ])


def stage(src: Path, execute: list[str] | None) -> list[str]:
    """Write the book's source into ``src``: the learner notebooks (mentions linked), the
    index page, _toc.yml and _config.yml. Returns the notebook stems published."""
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    stems = {p.stem[:2]: p.stem for p in notebooks}
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                cell["source"] = _link_mentions(text, {k: v for k, v in stems.items()
                                                       if v != path.stem})
        (src / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    parts = course_map()
    available = set(stems.values())
    mapped = {row["stem"] for _, rows in parts for row in rows}
    unmapped = sorted(available - mapped)
    if unmapped:  # a notebook not (yet) in the README's map still gets a page
        parts.append(("More", [{"number": s[:2], "stem": s, "title": s[3:].replace("_", " "),
                                "what": "", "status": "available"} for s in unmapped]))
    (src / "index.md").write_text(_index_page(parts, available), encoding="utf-8")
    (src / "_toc.yml").write_text(_toc(parts, available), encoding="utf-8")
    (src / "_config.yml").write_text(_config(execute, sorted(available)), encoding="utf-8")
    return sorted(available)


# --- checking the result --------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "img", "script"):
                self.links.append(attrs[key])


def broken_links(html: Path) -> list[str]:
    """Every link between the site's own files that leads nowhere: a missing file, or an
    anchor that the page does not have. Links to other sites are not followed."""
    pages: dict[Path, _Links] = {}
    for page in html.rglob("*.html"):
        if "_static" in page.relative_to(html).parts:  # the theme's templates, not pages
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        pages[page.resolve()] = parser
    problems = []
    for page, parser in sorted(pages.items()):
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(html.resolve())}: {link}"
            if not target.exists():
                problems.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where} (no such anchor)")
    return problems


def check(html: Path, stems: list[str]) -> list[str]:
    problems = [f"{stem}.html is missing" for stem in stems if not (html / f"{stem}.html").exists()]
    if not (html / "index.html").exists():
        problems.append("index.html is missing")
    return problems + broken_links(html)


# --- the build ------------------------------------------------------------------------------

def build(out: Path, execute: list[str] | None = None) -> tuple[Path, list[str]]:
    """Stage and build the book in ``out``; returns (the HTML folder, the problems found)."""
    src = out / "src"
    stems = stage(src, execute)
    html = out / "_build" / "html"
    if html.exists():
        shutil.rmtree(html)
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
           "build", str(src), "--path-output", str(out),
           "--builder", "html", "--keep-going"]
    result = subprocess.run(cmd, cwd=src, capture_output=True, text=True)
    (out / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    problems = []
    if result.returncode != 0:
        log = result.stdout[-3000:] + result.stderr[-3000:]
        problems.append(f"jupyter-book build failed (all of it in {out / 'build.log'}):\n{log}")
    return html, problems + check(html, stems)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    ap.add_argument("--no-execute", action="store_true",
                    help="do not run the notebooks (pages without outputs)")
    ap.add_argument("--execute-only", nargs="+", metavar="NOTEBOOK",
                    help="run only these notebooks (stems, e.g. 00_welcome)")
    args = ap.parse_args(argv)
    execute = [] if args.no_execute else args.execute_only
    html, problems = build(args.out.resolve(), execute)
    for problem in problems:
        print("PROBLEM:", problem)
    if problems:
        return 1
    print(f"Site built: {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
