"""wl_switch.py - `switch` in Python (claim C2): two workers ping-pong a
token --rounds times, as bench/w_switch.c does in C.

Task 0 (ping) sends the token and waits for the answer, task 1 (pong)
waits and answers with the token plus one.  The channel (--via):
  pipe       multiprocessing.Pipe (a Connection pair; send/recv pickle the
             int), in threads and processes alike;
  queue      queue.Queue for threads, multiprocessing.Queue for processes
             (pickled through a feeder thread and a pipe);
  condition  a counter under threading.Condition for threads, a
             multiprocessing.Value under the start method's Condition for
             processes (the futex of C's --via futex, as Python offers it).
futex and socketpair are C's (refused), and so is --pin: a Python worker
cannot be placed on a CPU the way C's are, and the GIL decides which
thread runs.  What is measured includes the interpreter's own switching:
a thread waiting for the GIL asks for it after sys.getswitchinterval(),
which goes in the notes (switch_us=).

Exactly 2 workers; ops = rounds; result = round trips completed; ok when
both sides completed --rounds and the token came back as sent plus one
every time."""

import multiprocessing
import queue

from ptpy_common import RunError, Shared, choice_opt, count_opt

PING, PONG = 0, 1
VIAS = ("pipe", "futex", "socketpair", "queue", "condition")


class Counter:
    """The token for threads under a Condition: a plain attribute."""

    def __init__(self):
        self.value = 0


class SwitchState:
    def __init__(self, job):
        shared = Shared(job)
        sync = shared.sync()
        self.via = job.opts["via"]
        self.rounds = job.opts["rounds"]
        self.done = shared.ints(2)
        self.last = shared.ints(1, -1)
        if self.via == "pipe":
            self.ends = (job.ctx or multiprocessing).Pipe()
        elif self.via == "queue":
            make = job.ctx.Queue if job.processes else queue.Queue
            self.ends = (make(), make())  # to pong, to ping
        else:
            self.cond = sync.Condition()
            self.seq = job.ctx.Value("q", 0, lock=False) if job.processes else Counter()


def ping_pong(st, side, send, recv):
    """Ping sends m and waits for m+1; pong answers each token with m+1."""
    m = 0
    for i in range(st.rounds):
        if side == PING:
            send(m)
            reply = recv()
            if reply != m + 1:
                raise RunError("switch: ping got %r for token %d" % (reply, m))
            m = reply
        else:
            send(recv() + 1)
        st.done[side] = i + 1
    return m


def pipe_side(st, side):
    conn = st.ends[side]
    return ping_pong(st, side, conn.send, conn.recv)


def queue_side(st, side):
    to_pong, to_ping = st.ends
    if side == PING:
        return ping_pong(st, side, to_pong.put, to_ping.get)
    return ping_pong(st, side, to_ping.put, to_pong.get)


def condition_side(st, side):
    """Ping stores 2i+1 and waits for 2i+2, pong waits for 2i+1 and stores 2i+2."""
    cond, seq = st.cond, st.seq
    for i in range(st.rounds):
        mine = 2 * i + (1 if side == PING else 2)
        with cond:
            if side == PONG:
                if not cond.wait_for(lambda: seq.value == mine - 1, timeout=60):
                    raise RunError("switch: pong waited 60 s for round %d" % i)
            seq.value = mine
            cond.notify()
            if side == PING:
                if not cond.wait_for(lambda: seq.value == mine + 1, timeout=60):
                    raise RunError("switch: ping waited 60 s for round %d" % i)
        st.done[side] = i + 1
    return seq.value


class Switch:
    spec = {"rounds": count_opt(1), "via": choice_opt(*VIAS),
            "pin": choice_opt("same", "split", "none")}
    defaults = {"rounds": 100000, "via": "pipe", "pin": "none"}
    gang = True

    @staticmethod
    def refuse(job):
        if job.opts["via"] in ("futex", "socketpair"):
            return "--via %s is C's: use pipe, queue or condition" % job.opts["via"]
        if job.opts["pin"] != "none":
            return "--pin is C's: a Python worker is not placed on a CPU (--pin none)"
        if job.tasks != 2:
            return "switch needs exactly 2 tasks"
        return None

    @staticmethod
    def setup(job):
        return SwitchState(job)

    @staticmethod
    def task(st, t, ntasks):
        side = PING if t == 0 else PONG
        run = {"pipe": pipe_side, "queue": queue_side, "condition": condition_side}[st.via]
        last = run(st, side)
        if side == PING:
            st.last[0] = last
        return 1

    @staticmethod
    def verify(job, st, results):
        rounds = st.rounds
        want = 2 * rounds if st.via == "condition" else rounds
        done = min(st.done[PING], st.done[PONG])
        ok = st.done[PING] == rounds and st.done[PONG] == rounds and st.last[0] == want
        return rounds, done, ok  # the switch interval is in every row's notes

    @staticmethod
    def teardown(job, st):
        if st.via == "pipe":
            for end in st.ends:
                end.close()
        elif st.via == "queue" and job.processes:
            for q in st.ends:
                q.close()
                q.join_thread()
