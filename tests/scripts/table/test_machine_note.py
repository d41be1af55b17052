"""test_machine_note.py - C1's and C2's explanation names the machine facts
their figures depend on (ptb/table/verdicts.py machine_note), from the meta
that ptbench writes (lib/meta.c: cpu_flags, cpu_vulnerabilities,
hypervisor_vendor), and says nothing for a meta that predates them.

Run: python3 -m unittest discover -s tests/scripts/table   (make test-table)
"""
import unittest

from ptb.table import verdicts

PTI_NO_PCID = {"cpu_flags": {"pti": True, "pcid": False, "hypervisor": True},
               "cpu_vulnerabilities": {"spectre_v2": "Mitigation: Retpolines; IBPB: always-on"},
               "hypervisor_vendor": "KVMKVMKVM"}
BARE = {"cpu_flags": {"pti": False, "pcid": True, "hypervisor": False},
        "cpu_vulnerabilities": {"spectre_v2": "Mitigation: Enhanced IBRS"}, "hypervisor_vendor": None}


def found(facts):
    return {"machine": {"kind": "machine", "facts": facts}}


class MachineNote(unittest.TestCase):
    def test_facts_in_words(self):
        self.assertEqual(verdicts.machine_facts(found(PTI_NO_PCID)),
                         ["page-table isolation on", "PCID no", "IBPB on every switch between processes",
                          "under a hypervisor (KVMKVMKVM)"])
        self.assertEqual(verdicts.machine_facts(found(BARE)), ["page-table isolation off", "PCID yes"])

    def test_c2_says_what_a_process_switch_pays(self):
        note = verdicts.machine_note("C2", found(PTI_NO_PCID))
        self.assertIn("changes the address space", note)
        self.assertIn("pin=same", note)
        self.assertTrue(note.endswith("make compare lists them beside a verdict that changed between machines)"))
        self.assertIn("here page-table isolation on, PCID no, IBPB on every switch", note)

    def test_c1_says_what_a_fork_copies(self):
        self.assertIn("copies the parent's page tables", verdicts.machine_note("C1", found(BARE)))

    def test_other_claims_and_old_metas_get_none(self):
        self.assertEqual(verdicts.machine_note("C4", found(PTI_NO_PCID)), "")
        self.assertEqual(verdicts.machine_note("C2", found({"kernel": "Linux 6.1"})), "")
        self.assertEqual(verdicts.machine_note("C2", {}), "")


if __name__ == "__main__":
    unittest.main()
