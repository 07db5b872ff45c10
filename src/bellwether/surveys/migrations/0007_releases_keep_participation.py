from django.db import migrations
from django.db.models import Count, Q


def keep_participation(apps, schema_editor):
    """Store in each anonymous release the participation counted at this moment, as a
    release now does when the campaign closes (closed campaigns' counts no longer move)."""
    Release = apps.get_model("surveys", "Release")
    Invitation = apps.get_model("surveys", "Invitation")
    Completion = apps.get_model("surveys", "Completion")
    for release in Release.objects.filter(campaign__mode="anonymous").iterator():
        payload = dict(release.payload or {})
        if isinstance(payload.get("participation"), dict):
            continue
        counts = Invitation.objects.filter(campaign_id=release.campaign_id).aggregate(
            invited=Count("pk", filter=Q(revoked_at__isnull=True)),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        )
        completed = Completion.objects.filter(campaign_id=release.campaign_id).count()
        payload["participation"] = {
            "invited": counts["invited"],
            "completed": completed,
            "revoked": counts["revoked"],
        }
        release.payload = payload
        release.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_embedded_instruments")]

    operations = [migrations.RunPython(keep_participation, migrations.RunPython.noop)]
