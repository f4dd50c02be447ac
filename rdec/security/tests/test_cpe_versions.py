"""CPE 2.3 formatted strings (escapes, ANY/NA, wildcards, NISTIR 7696 relations) and the version
order (fixed chains of the sample and hypothesis properties of a total order)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.security import cpe, versions
from rdec.security.cpe import CpeError, Relation


def test_parse_attributes_and_escapes():
    c = cpe.parse(r"cpe:2.3:a:foo\:bar:baz\!qux:1.0\:2:*:*:*:*:*:*:*")
    assert c.vendor == r"foo\:bar" and c.plain("vendor") == "foo:bar"
    assert c.product == r"baz\!qux"
    assert c.plain("version") == "1.0:2"
    assert str(cpe.parse(str(c))) == str(c)  # round trip
    assert cpe.parse("CPE:2.3:A:Apache:HTTP_Server:2.4.49:*:*:*:*:*:*:*").vendor == "apache"
    # a quoted period is the same period
    assert cpe.parse(r"cpe:2.3:a:apache:http_server:2\.4\.49:*:*:*:*:*:*:*").version == "2.4.49"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("cpe:/a:apache:http_server:2.4.49", "prefix"),
        ("cpe:2.3:a:apache:http_server:2.4.49", "attribute_count"),
        ("cpe:2.3:x:apache:http_server:2.4.49:*:*:*:*:*:*:*", "part"),
        ("cpe:2.3:a:apache::2.4.49:*:*:*:*:*:*:*", "empty_attribute"),
        ("cpe:2.3:a:apache:http*server:2.4.49:*:*:*:*:*:*:*", "embedded_wildcard"),
        ("cpe:2.3:a:apache:http server:2.4.49:*:*:*:*:*:*:*", "whitespace"),
        ("cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*\\", "dangling_escape"),
    ],
)
def test_bad_names_say_why(text, code):
    with pytest.raises(CpeError) as exc:
        cpe.parse(text)
    assert exc.value.code == code


def test_wildcards_at_the_ends_only():
    assert cpe.parse("cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*").version == "2.4.*"
    assert cpe.parse("cpe:2.3:a:apache:http_server:??.1:*:*:*:*:*:*:*").version == "??.1"
    assert cpe.compare("2.4.*", "2.4.49") is Relation.SUPERSET
    assert cpe.compare("2.4.*", "2.5.1") is Relation.DISJOINT
    assert cpe.compare("?.0", "9.0") is Relation.SUPERSET
    assert cpe.compare("?.0", "10.0") is Relation.DISJOINT
    assert cpe.compare(r"2\.4\*", "2.4*") is Relation.UNDEFINED  # an inventory value holding a wildcard


@pytest.mark.parametrize(
    ("source", "target", "relation"),
    [
        ("*", "*", Relation.EQUAL),
        ("*", "-", Relation.SUPERSET),
        ("*", "sp1", Relation.SUPERSET),
        ("-", "*", Relation.SUBSET),
        ("-", "-", Relation.EQUAL),
        ("-", "sp1", Relation.DISJOINT),
        ("sp1", "*", Relation.SUBSET),
        ("sp1", "-", Relation.DISJOINT),
        ("sp1", "SP1", Relation.EQUAL),
        ("sp1", "sp2", Relation.DISJOINT),
    ],
)
def test_nistir_7696_table(source, target, relation):
    assert cpe.compare(source, target) is relation


@pytest.mark.parametrize(
    "chain",
    [
        ["2.4.9", "2.4.49", "2.4.52"],
        ["7.4.4", "7.4.30"],
        ["1.1.1", "1.1.1a", "1.1.1k", "1.1.1w"],
        ["1.0.2", "1.0.2u", "1.0.2z", "1.0.2zd"],
        ["9.0.0", "9.0.0.M1", "9.0.0.M22", "9.0.31"],
        ["10.0.17763.6189", "10.0.17763.6293", "10.0.19045.3570", "10.0.19045.10000", "10.0.22631.4037"],
    ],
)
def test_orders_of_the_sample(chain):
    for a, b in zip(chain, chain[1:], strict=False):
        assert versions.compare(a, b) == -1
        assert versions.compare(b, a) == 1
    shuffled = chain[1::2] + chain[0::2]
    assert sorted(shuffled, key=versions.key) == chain


def test_incomparable_pairs_are_said_so():
    assert not versions.comparable("r2", "6.2.9200.25031")
    assert not versions.comparable("", "1.0")
    with pytest.raises(versions.IncomparableVersions):
        versions.compare("r2", "6.3")


segment = st.one_of(st.integers(0, 30000).map(str), st.text("abcmrz", min_size=1, max_size=3))
version = st.builds(
    lambda first, rest, seps: str(first) + "".join(s + r for s, r in zip(seps, rest, strict=False)),
    st.integers(0, 50),
    st.lists(segment, max_size=5),
    st.lists(st.sampled_from([".", "-", "_", ""]), min_size=5, max_size=5),
)


@settings(deadline=None)  # timing on shared cores is no property of the order
@given(version, version)
def test_antisymmetric(a, b):
    assert versions.compare(a, b) == -versions.compare(b, a)
    if versions.compare(a, b) == 0:
        assert versions.key(a) == versions.key(b)


@settings(deadline=None)  # timing on shared cores is no property of the order
@given(version, version, version)
def test_transitive(a, b, c):
    if versions.compare(a, b) <= 0 and versions.compare(b, c) <= 0:
        assert versions.compare(a, c) <= 0


@settings(deadline=None)  # timing on shared cores is no property of the order
@given(version)
def test_reflexive_and_extension_is_later(a):
    assert versions.compare(a, a) == 0
    assert versions.compare(a, a + ".1") == -1
    assert versions.compare(a, a + ".M1") == -1
