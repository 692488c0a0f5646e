"""Each example flow's result, kept and summed the same way for every client library."""

import sys
import traceback


class Flows:
    def __init__(self, library):
        self.library = library
        self.results = []

    def run(self, name, step):
        """Runs one flow; a library's failure is a result to report, not a crash of the harness."""
        try:
            ok = step()
        except Exception:
            traceback.print_exc()
            ok = False
        self.results.append((name, bool(ok)))
        print(f"--> {name}: {'pass' if ok else 'FAIL'}", flush=True)
        return ok

    def finish(self):
        """Prints the summary on the real standard output and exits 0 only if every flow passed."""
        sys.stdout = sys.__stdout__
        passed = sum(ok for _, ok in self.results)
        print(f"{self.library}: {passed}/{len(self.results)} flows passed")
        for name, ok in self.results:
            print(f"  {'pass' if ok else 'FAIL'}  {name}")
        sys.exit(0 if passed == len(self.results) else 1)
