"""tools/conformance.py's judgement of a schemathesis event log: what counts as a documented
rejection and what is a failure (the run itself is in .ci/run, scripts/conformance)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from tools import conformance


def _case(method: str, path: str, checks: Dict[str, str], status: int, body: Any) -> Dict[str, Any]:
    content: Optional[Dict[str, str]] = None
    if body is not None:
        content = {"$base64": base64.b64encode(json.dumps(body).encode()).decode()}
    return {
        "ScenarioFinished": {
            "recorder": {
                "label": "{} {}".format(method, path),
                "cases": {"c1": {"value": {"method": method, "path": path, "body": {"to": []}}}},
                "checks": {"c1": [{"name": name, "status": outcome} for name, outcome in checks.items()]},
                "interactions": {"c1": {"response": {"status_code": status, "content": content}}},
            }
        }
    }


def _error(code: int, etype: str) -> Dict[str, Any]:
    return {"error": {"type": etype, "code": code, "message": "m", "uri": "u"}}


def _judge(tmp_path: Path, events: List[Dict[str, Any]]) -> Any:
    log = tmp_path / "events.ndjson"
    log.write_text("\n".join(json.dumps(e) for e in events))
    return conformance.judge(log)


def test_a_documented_rejection_of_valid_data_is_counted_apart(tmp_path: Path) -> None:
    event = _case("POST", "/sms", {"positive_data_acceptance": "failure"}, 400, _error(1104, "invalid_param"))
    failures, accepted, cases = _judge(tmp_path, [event])
    assert failures == [] and cases == 1
    assert accepted == {"POST /sms -> 400 invalid_param 1104": 1}


def test_a_code_the_operation_does_not_document_is_a_failure(tmp_path: Path) -> None:
    # 1204 belongs to create_group, not to send_sms
    event = _case("POST", "/sms", {"positive_data_acceptance": "failure"}, 400, _error(1204, "invalid_param"))
    failures, accepted, _ = _judge(tmp_path, [event])
    assert len(failures) == 1 and "POST /sms" in failures[0] and not accepted


def test_the_common_rows_count_as_documented_where_they_apply(tmp_path: Path) -> None:
    body_op = _case("POST", "/sms", {"positive_data_acceptance": "failure"}, 400, _error(1007, "invalid_body"))
    no_body = _case("GET", "/account/balance", {"positive_data_acceptance": "failure"}, 400, _error(1008, "invalid_param"))
    failures, accepted, _ = _judge(tmp_path, [body_op, no_body])
    assert list(accepted) == ["POST /sms -> 400 invalid_body 1007"]
    assert len(failures) == 1 and "GET /account/balance" in failures[0]


def test_every_other_check_is_a_failure_even_with_a_documented_code(tmp_path: Path) -> None:
    event = _case("POST", "/sms", {"response_schema_conformance": "failure", "not_a_server_error": "success"}, 400,
                  _error(1104, "invalid_param"))
    failures, accepted, _ = _judge(tmp_path, [event])
    assert len(failures) == 1 and "response_schema_conformance" in failures[0] and not accepted


def test_a_run_error_is_a_failure(tmp_path: Path) -> None:
    crash = {"NonFatalError": {"label": "GET /groups", "info": {"title": "Runtime Error"}}}
    failures, _, _ = _judge(tmp_path, [crash])
    assert failures == ["GET /groups [run error] Runtime Error"]


def test_passing_checks_are_neither(tmp_path: Path) -> None:
    event = _case("POST", "/sms", {"not_a_server_error": "success"}, 200, {"info": {}})
    failures, accepted, cases = _judge(tmp_path, [event])
    assert (failures, dict(accepted), cases) == ([], {}, 1)
