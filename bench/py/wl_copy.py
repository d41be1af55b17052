"""wl_copy.py - `copy` in Python: seed 004's copier (open 'rb'/'wb',
read(--chunk)/write until empty) over the files the driver prepared in
TMPDIR/src/fNNNN, into TMPDIR/dst/; ok when every copy is byte-identical.
Python's file objects are buffered, as in the seed."""

import os
import shutil

BLOCK_BYTES = 65536
from ptpy_common import count_opt


class CopyState:
    def __init__(self, tmpdir, files, chunk):
        self.tmpdir, self.files, self.chunk = tmpdir, files, chunk


def copy_path(tmpdir, side, i):
    return os.path.join(tmpdir, side, "f%04u" % i)


def copy_file(source_path, dest_path, chunk):
    """Seed 004's loop; returns the bytes copied."""
    copied = 0
    with open(source_path, "rb") as source_file:
        with open(dest_path, "wb") as dest_file:
            while True:
                data = source_file.read(chunk)
                if data:
                    dest_file.write(data)
                    copied += len(data)
                else:
                    break
    return copied


def same_file(a, b):
    with open(a, "rb", buffering=0) as fa, open(b, "rb", buffering=0) as fb:
        while True:
            da, db = fa.read(BLOCK_BYTES), fb.read(BLOCK_BYTES)
            if da != db:
                return False
            if not da:
                return True


class Copy:
    executors = True  # pyexthread and pyexproc run it (C: PTB_PY_EXECUTORS)
    spec = {"files": count_opt(1),
            "file-size": count_opt(),
            "chunk": count_opt(1)}
    defaults = {"files": 16, "file-size": 8 << 20, "chunk": 1024}

    @staticmethod
    def refuse(job):
        return None if job.tmpdir else "copy needs --tmpdir (where the driver prepared src/)"

    @staticmethod
    def setup(job):
        dst = os.path.join(job.tmpdir, "dst")
        shutil.rmtree(dst, ignore_errors=True)  # what a killed repetition left
        os.mkdir(dst, 0o700)
        return CopyState(job.tmpdir, job.opts["files"], job.opts["chunk"])

    @staticmethod
    def task(st, t, ntasks):
        copied = 0
        for i in range(t, st.files, ntasks):
            copied += copy_file(copy_path(st.tmpdir, "src", i),
                                copy_path(st.tmpdir, "dst", i), st.chunk)
        return copied

    @staticmethod
    def verify(job, st, results):
        expected = st.files * job.opts["file-size"]
        copied = sum(results)
        identical = all(same_file(copy_path(st.tmpdir, "src", i), copy_path(st.tmpdir, "dst", i))
                        for i in range(st.files))
        return expected, copied, identical and copied == expected

    @staticmethod
    def teardown(job, state):
        shutil.rmtree(os.path.join(job.tmpdir, "dst"), ignore_errors=True)
