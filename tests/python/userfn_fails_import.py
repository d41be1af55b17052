"""userfn_fails_import.py - a module that cannot be imported (its last
traceback line must reach the user): tests/python/test_userfn.py."""

raise RuntimeError("this module refuses to be imported")


def never(index):
    return index
