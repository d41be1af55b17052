"""userfn_judged.py - a module with verify, ops and PTB_OPS_UNIT, and one
that says its tasks are not independent: tests/python/test_userfn.py.

count(index, items, want) returns int(items); verify checks the sum
against want (or items per task), raises when want is "raise"; ops is
the sum of the items."""

PTB_OPS_UNIT = "item"
PTB_INDEPENDENT = False


def count(index, items="3", want=""):
    return int(items)


def verify(results, items="3", want=""):
    if want == "raise":
        raise KeyError("want cannot be raise")
    expected = int(want) if want else int(items) * len(results)
    return sum(results) == expected


def ops(results, **kwargs):
    return sum(results)
