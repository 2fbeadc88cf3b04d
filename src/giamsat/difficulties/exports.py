"""The register as flat rows for CSV/JSON/XLSX (field names are a public interface)."""

from giamsat.difficulties.workflow import register

FIELDS = ["id", "state", "problem", "solution", "area", "raised_by", "raised_on",
          "directive", "deadline_raw", "due_date", "responsible", "responsible_done",
          "resolved_on", "resolution", "decline_reason", "merged_into", "task_ids",
          "document", "line"]


def _iso(day):
    return day.isoformat() if day else None


def difficulty_rows(**filters) -> list[dict]:
    rows = []
    for item in register(**filters).order_by("pk"):
        parts = list(item.responsibilities.all())
        rows.append({
            "id": item.pk, "state": item.state, "problem": item.problem,
            "solution": item.solution, "area": item.area,
            "raised_by": item.raised_by.slug if item.raised_by else None,
            "raised_on": _iso(item.raised_on),
            "directive": str(item.directive) if item.directive else None,
            "deadline_raw": item.deadline_text, "due_date": _iso(item.deadline_due),
            "responsible": "; ".join(p.organisation.slug for p in parts),
            "responsible_done": "; ".join(p.organisation.slug for p in parts if p.resolved_on),
            "resolved_on": _iso(item.resolved_on), "resolution": item.resolution,
            "decline_reason": item.decline_reason, "merged_into": item.merged_into_id,
            "task_ids": "; ".join(str(pk) for pk in item.tasks.values_list("pk", flat=True)),
            "document": str(item.document) if item.document else None, "line": item.line,
        })
    return rows
