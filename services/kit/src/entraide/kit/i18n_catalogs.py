"""`make i18n`: a package's messages to translate, extracted and merged into its catalogs.

    python -m entraide.kit.i18n_catalogs entraide.kit entraide.directory

Extracts what each package marks (`babel.cfg` at the repository's root: `_()`,
`{% trans %}`, `ngettext()` in its templates, `_()` and `N_()` in its code), adds the
words its public pages take from code and translate with `translate()` (named in
`<package>/locales/words.txt`, one `module:NAME,NAME` a line: a dict's values, a list of
`(value, text)` pairs' texts, or strings), then updates
`<package>/locales/<code>/LC_MESSAGES/messages.po` for every language: new messages come
empty (the page shows them in French until translated), gone ones are dropped. The
catalogs are read as .po when a service starts (kit/i18n.py): nothing to compile.
A FALC catalog (easy French) is updated only where one exists: it covers the family door.
"""

import argparse
import importlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from entraide.kit.i18n import EASY_FRENCH, FRENCH, LANGUAGES

CONFIG = Path(__file__).resolve().parents[5] / "babel.cfg"
TRANSLATED = [code for code in LANGUAGES if code not in (FRENCH.code, EASY_FRENCH.code)]


def package_dir(package: str) -> Path:
    return Path(str(resources.files(package)))


def catalog_path(package: str, code: str) -> Path:
    return package_dir(package) / "locales" / code / "LC_MESSAGES" / "messages.po"


def texts(words: object) -> Iterator[str]:
    """A vocabulary's texts: a string; a dict's values (each a string or a tuple of
    strings); a list's `(value, text)` pairs' texts or strings."""
    if isinstance(words, str):
        yield words
        return
    if isinstance(words, dict):
        for value in words.values():
            yield from (value,) if isinstance(value, str) else value
        return
    for item in words:  # type: ignore[attr-defined]
        text = item[1] if isinstance(item, tuple) else item
        if isinstance(text, str) and text:
            yield text


def word_specs(package: str) -> list[str]:
    """The `module:NAME,NAME` lines of the package's `locales/words.txt` (# comments)."""
    listed = package_dir(package) / "locales" / "words.txt"
    if not listed.is_file():
        return []
    lines = (line.split("#")[0].strip() for line in listed.read_text().splitlines())
    return [line for line in lines if line]


def extracted(package: str) -> Catalog:
    """Every message the package's pages show: marked ones, then its listed words."""
    with CONFIG.open() as config:
        method_map, options_map = parse_mapping_cfg(config, str(CONFIG))  # type: ignore[no-untyped-call]
    template = Catalog(project="Entraide", fuzzy=False)
    root = package_dir(package)
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for spec in word_specs(package):
        module, _, names = spec.partition(":")
        for name in names.split(","):
            for text in texts(getattr(importlib.import_module(module), name)):
                template.add(text, None, [(f"{module}:{name}", 0)])
    return template


def update(package: str, template: Catalog) -> list[Path]:
    """Each language's catalog of `package` brought in line with `template`."""
    written = []
    for code in LANGUAGES:
        path = catalog_path(package, code)
        if code == FRENCH.code or (code == EASY_FRENCH.code and not path.is_file()):
            continue
        locale = FRENCH.code if code == EASY_FRENCH.code else code
        if path.is_file():
            with path.open("rb") as existing:
                catalog = read_po(existing, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="Entraide", fuzzy=False)
        created = catalog.creation_date  # kept: a run that changes nothing changes no file
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            write_po(out, catalog, width=100, ignore_obsolete=True, omit_header=False)
        written.append(path)
    return written


def untranslated(package: str, code: str) -> list[str]:
    """The messages of `package`'s catalog in `code` with no translation (or a fuzzy one)."""
    with catalog_path(package, code).open("rb") as po:
        catalog = read_po(po)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("packages", nargs="+", help="e.g. entraide.kit entraide.directory")
    for package in parser.parse_args().packages:
        for path in update(package, extracted(package)):
            left = untranslated(package, path.parts[-3])
            print(f"{path}: {len(left)} to translate")


if __name__ == "__main__":
    main()
