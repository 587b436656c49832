import datetime as dt

from django.shortcuts import render

from .models import Footprint, System, Wave


def home(request):
    """Headline counts as at today."""
    today = dt.date.today()
    context = {
        "as_at": today,
        "current_systems": System.objects.current_as_at(today).count(),
        "ics_systems": System.objects.ics_as_at(today).count(),
        "footprints": Footprint.objects.as_at(today).count(),
        "ics_footprints": Footprint.objects.with_ics_as_at(today).count(),
        "waves": Wave.objects.all(),
    }
    return render(request, "systems/home.html", context)
