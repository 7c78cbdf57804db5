"""Imports every model so metadata (and Alembic autogenerate) sees the whole schema."""
from supervision.access.models import ApiToken, Authority, User  # noqa: F401
from supervision.access.personal_data import PersonalDataRead  # noqa: F401
from supervision.audit import AuditEvent  # noqa: F401
from supervision.complaints.models import Attachment, Complaint, PreservationHold  # noqa: F401
from supervision.complaints.receipts import ComplainantPass  # noqa: F401
from supervision.findings.models import Finding  # noqa: F401
from supervision.inspections.models import (  # noqa: F401
    Campaign,
    ChecklistItem,
    Inspection,
    InspectionEvidence,
    InspectionOfficer,
    PublishedResult,
    RiskMethodology,
    SealedRecord,
)
from supervision.jobruns import JobRun  # noqa: F401
from supervision.notifications.models import Notification  # noqa: F401
from supervision.obligations.models import (  # noqa: F401
    BillingSample,
    DepositEntry,
    FormatClause,
    RetentionAttestation,
    SampleItem,
    SelfInspection,
)  # noqa: F401
from supervision.operators.models import Hotline, Operator, SubscriberCount  # noqa: F401
from supervision.orders.models import DocumentCounter, PenaltyDecision, PenaltyRule, RectificationOrder  # noqa: F401
from supervision.publications.models import Publication, PublicationFile  # noqa: F401
from supervision.surveys.models import MethodologyVersion, SurveyImport, SurveyResponse  # noqa: F401
from supervision.workflow.models import CalendarOverride, ClockPolicy, Deadline  # noqa: F401
