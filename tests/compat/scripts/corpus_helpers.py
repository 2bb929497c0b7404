"""Set-up shared by the corpus scripts: plain runloop-api-client 1.x code."""

from runloop_api_client.lib.polling import PollingConfig

#: Quick polling for the emulator (the official default waits a second per poll).
FAST = PollingConfig(interval_seconds=0.05, max_attempts=1200)


def scenario_fields(name, command="true"):
    """create() arguments for a scenario scored by one command scorer."""
    return {
        "name": name,
        "input_context": {"problem_statement": f"Solve {name}."},
        "scoring_contract": {
            "scoring_function_parameters": [
                {"name": "main", "weight": 1.0,
                 "scorer": {"type": "command_scorer", "command": command}},
            ]
        },
    }  # fmt: skip
