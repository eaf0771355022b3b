"""Identifiers used across the platform.

They are plain strings at run time (cheap to hash, JSON friendly); the NewTypes
let mypy catch an agent id passed where a call id belongs.
"""

from __future__ import annotations

from typing import NewType

CallId = NewType("CallId", str)
AgentId = NewType("AgentId", str)
QueueName = NewType("QueueName", str)
TeamName = NewType("TeamName", str)
CaseId = NewType("CaseId", str)
EvaluationId = NewType("EvaluationId", str)
