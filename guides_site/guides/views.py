from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from .models import Company, Guide


def home(request):
    companies = Company.objects.annotate(
        guide_count=Count("guides", filter=Q(guides__status=Guide.Status.PUBLISHED))
    ).filter(guide_count__gt=0)
    return render(request, "guides/home.html", {"companies": companies})


def company(request, company):
    company = get_object_or_404(Company.objects.prefetch_related("contacts"), slug=company)
    # The reader's language first, then the others.
    guides = (
        company.guides.published()
        .annotate(other_language=Case(When(language=get_language(), then=Value(0)),
                                      default=Value(1), output_field=IntegerField()))
        .order_by("other_language", "title")
    )
    return render(request, "guides/company.html", {"company": company, "guides": guides})


def guide(request, company, guide):
    guides = Guide.objects.published().select_related("company").filter(
        company__slug=company, slug=guide
    )
    found = guides.filter(language=get_language()).prefetch_related("steps", "tags").first()
    if found is None:
        # The slug exists in another language: send the reader to that page.
        other = guides.first()
        if other is None:
            return render(request, "404.html", status=404)
        return redirect(other, permanent=False)
    return render(request, "guides/guide.html", {"guide": found, "steps": found.steps.all()})
