"""Imports every domain's tables so that ``Base.metadata`` is complete (for Alembic and tests).

Each domain adds its models module here when it creates one.
"""

from __future__ import annotations

from vigie.accounts import models as accounts_models
from vigie.analysis import models as analysis_models
from vigie.audit import models as audit_models
from vigie.cases import models as cases_models
from vigie.crisis import models as crisis_models
from vigie.governance import models as governance_models
from vigie.ingest import models as ingest_models
from vigie.library import models as library_models
from vigie.peerhelp import models as peerhelp_models
from vigie.playbooks import models as playbooks_models
from vigie.storage.base import Base
from vigie.workspace import models as workspace_models

MODEL_MODULES = (
    accounts_models,
    analysis_models,
    audit_models,
    cases_models,
    crisis_models,
    governance_models,
    ingest_models,
    library_models,
    peerhelp_models,
    playbooks_models,
    workspace_models,
)

metadata = Base.metadata
