from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kyoten.equipment import models


class FeeInline(admin.TabularInline):
    model = models.EquipmentFee
    extra = 0


@admin.register(models.Equipment)
class EquipmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "hub", "category", "status", "access"]
    list_filter = ["category", "status", "access"]
    search_fields = ["name", "maker", "model_name"]
    inlines = [FeeInline]


@admin.register(models.Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ["equipment", "user", "start", "end", "mode", "status"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["equipment", "user", "organisation", "series", "decided_by"]


for model in (models.HubEquipmentSettings, models.Course, models.TrainingSession,
              models.Certificate, models.Invoice, models.Charge, models.BookingQuota):  # fmt: skip
    admin.site.register(model, SimpleHistoryAdmin)
