"""Print NDJSON scenarios for 'emiss batch': a sweep of unit counts, capacity factors and NOx levels.

    python examples/make_scenarios.py | emiss batch | jq -c 'select(.emissions.nox.value > 100)'
"""

import json
import os
import sys


def main() -> None:
    for turbines in (4, 8, 15, 35):
        for cf in ("40%", "60%", "85%", "100%"):
            for nox in ("2 ppmvd@15%O2", "9 ppmvd@15%O2", "25 ppmvd@15%O2"):
                print(json.dumps({"id": f"{turbines}x-{cf}-{nox.split()[0]}ppm", "turbines": turbines, "capacity": "16.5 MW",
                                  "heat_rate": "9695 Btu/kWh", "capacity_factor": cf, "factor": {"nox": nox}}))


if __name__ == "__main__":
    try:
        main()
        sys.stdout.flush()
    except BrokenPipeError:  # a reader such as head stopped early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
