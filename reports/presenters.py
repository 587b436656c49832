"""What the board summary pages show of a summary, shaped from its row."""

from django.urls import reverse

from .models import BoardSummary, BuildStatus


def status_payload(summary: BoardSummary) -> dict:
    """The build's state as the polling script (static/reports/progress.js) reads it."""
    done = summary.status == BuildStatus.DONE
    return {
        "status": summary.status,
        "status_label": summary.get_status_display(),
        "progress": summary.progress,
        "message": summary.progress_message,
        "error": summary.error,
        "finished": summary.is_finished,
        "download_url": reverse("reports:download", args=[summary.pk]) if done else None,
    }
