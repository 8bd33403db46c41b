from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


dashboard = hub_detail = chart = hub_report_pdf = report_detail = program_pdf = _todo
export_xlsx = advice_list = advice_detail = _todo
