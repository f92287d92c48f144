"""The shipped tables are checked as they are read: a bad key is one line naming file, entry and key."""

from __future__ import annotations

import copy
import shutil

import pytest

from emiss import data
from emiss.errors import DataError
from emiss.inputs import catalog


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of emiss/data that the loaders read instead (caches emptied before and after)."""
    shutil.copytree(data.DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    caches = (data.load, catalog.units, catalog.gpus)
    for c in caches:
        c.cache_clear()
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "data")
    yield tmp_path / "data"
    monkeypatch.undo()
    for c in caches:
        c.cache_clear()


def test_a_misspelled_catalog_key_is_one_line_naming_file_entry_and_key(data_copy, run):
    path = data_copy / "catalog.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("heat_rate =", "heatrate =", 1), encoding="utf-8")
    code, out, err = run("catalog")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("Error: catalog.toml: [[unit]] '") and "unknown key 'heatrate' (did you mean 'heat_rate'?)" in err


def _first_entry(raw, schema, table):
    """Return the first entry of ``table`` in a parsed file ('*': the first top-level table that is itself an entry)."""
    if table == "*":
        return raw[next(t for t in raw if t not in schema)]
    value = raw[table]
    return value[0] if isinstance(value, list) else next(iter(value.values()))


def test_every_table_names_a_missing_an_unknown_and_a_mistyped_key():
    # for each checked table: in its first entry drop a required key, add an unknown one, and give a value of the
    # wrong kind; each is refused in one line starting with the file and naming the key
    for name, schema in data.SCHEMAS.items():
        raw = data.load(name)
        for table, entry_schema in schema.items():
            if table != "*" and table not in raw:  # a table the schema allows but this file does not have
                continue
            required = next(k for k, kind in entry_schema.items() if not k.endswith("?") and kind != "any")
            wrong = "x" if entry_schema[required] == "list" else []
            for broken, word in ((lambda e: e.pop(required), f"missing key '{required}'"),
                                 (lambda e: e.update(zz_unknown=1), "unknown key 'zz_unknown'"),
                                 (lambda e: e.update({required: wrong}), f"'{required}' must be")):
                bad = copy.deepcopy(raw)
                broken(_first_entry(bad, schema, table))
                with pytest.raises(DataError) as exc:
                    data.check(name, bad)
                msg = str(exc.value)
                assert msg.startswith(f"{name}: ") and word in msg and "\n" not in msg, (name, table, msg)


def test_pollutants_are_the_factor_library_s():
    import tomllib

    raw = tomllib.loads((data.DATA_DIR / "factors.toml").read_text(encoding="utf-8"))
    assert data.POLLUTANTS == tuple(raw["pollutants"]) and len(data.POLLUTANTS) == 12  # nh3 added by issue 21
