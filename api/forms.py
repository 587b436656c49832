import datetime as dt

from django import forms

LIFETIMES = {"30": 30, "90": 90, "365": 365}


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, such as “R scripts on my laptop”.",
    )
    lifetime = forms.ChoiceField(
        label="Expires after",
        choices=[("30", "30 days"), ("90", "90 days"), ("365", "1 year")],
        initial="90",
        widget=forms.RadioSelect,
    )

    def token_arguments(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "lifetime": dt.timedelta(days=LIFETIMES[self.cleaned_data["lifetime"]]),
        }
