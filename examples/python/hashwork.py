"""hashwork.py - your own code under ptbench: SHA-256 over a buffer, with
the standard library only.

    ptbench run -w py:examples/python/hashwork.py:sha_block \
        --py-arg block=1048576 -m pythread,pyproc -n 1,2

Every task builds a buffer of `block` bytes that depends on its index and
feeds it `rounds` times to hashlib.sha256; it returns the hex digest.
hashlib releases the GIL while it hashes a buffer larger than 2047 bytes,
so pythread's threads hash at the same time on different cores: threads
scale here, as processes do, without the cost of starting processes.
With `--py-arg block=1024` the GIL is held through every update, and
pythread stops scaling while pyproc still does: that is the lesson.

ptbench calls sha_block(index, **kwargs) once per task, the --py-arg
values given as strings; verify() recomputes every digest after the clock;
ops() counts the bytes hashed, so ns_per_op is nanoseconds per byte."""

import hashlib

PTB_OPS_UNIT = "byte"  # what ops() counts: ns_per_op is ns per byte


def payload(index, block):
    """block bytes, different for every task index."""
    pattern = bytes(range(256)) * (block // 256 + 1)
    return index.to_bytes(8, "little") + pattern[:max(block - 8, 0)]


def sha_block(index, block="1048576", rounds="16"):
    """SHA-256 of task index's buffer, fed rounds times: the hex digest."""
    data = payload(index, int(block))
    h = hashlib.sha256()
    for _ in range(int(rounds)):
        h.update(data)
    return h.hexdigest()


def verify(results, block="1048576", rounds="16"):
    """Every task's digest, recomputed one at a time."""
    return all(digest == sha_block(index, block, rounds) for index, digest in enumerate(results))


def ops(results, block="1048576", rounds="16"):
    """Bytes hashed by all the tasks."""
    return len(results) * int(rounds) * len(payload(0, int(block)))
