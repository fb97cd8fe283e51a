"""The expert's own recommendations: one text per category of the interview's catalogue."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext

from benchmarking.models import Category, Interview


class ExpertRecommendationsForm(forms.Form):
    """A text area per category, prefilled with what was saved; an empty one removes it."""

    def __init__(self, *args, interview: Interview, categories: list[Category], saved: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {f"category_{c.pk}": c for c in categories}
        for name, category in self.categories.items():
            self.fields[name] = forms.CharField(
                label=f"{category.code}. {category.title}",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=saved.get(category.pk, ""),
                help_text=gettext(
                    "What the cluster management should do next in this area, in line with Silver or Gold."
                ),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext("Save recommendations")))

    def texts(self) -> dict[Category, str]:
        return {category: self.cleaned_data[name] for name, category in self.categories.items()}
