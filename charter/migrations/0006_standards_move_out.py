"""The service standards moved to the `standards` app (one floor down, so the
desk and visits can read them without importing the charter's upper floor).

State only: the tables stay where they are, now owned by `standards` models
with the same `db_table`, so no row and no foreign key is touched.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('charter', '0005_drop_redundant_fk_indexes'),
        ('standards', '0001_initial'),
        ('tickets', '0007_alter_ticket_standard_version'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ClosureDay',
                ),
                migrations.RemoveField(
                    model_name='escalationlevel',
                    name='standard',
                ),
                migrations.RemoveField(
                    model_name='historicalclosureday',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalescalationlevel',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalescalationlevel',
                    name='standard',
                ),
                migrations.RemoveField(
                    model_name='historicalopenday',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalresolutiontarget',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='historicalresolutiontarget',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalresolutiontarget',
                    name='standard',
                ),
                migrations.RemoveField(
                    model_name='historicalstandardversion',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='OpenDay',
                ),
                migrations.RemoveField(
                    model_name='resolutiontarget',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='resolutiontarget',
                    name='standard',
                ),
                migrations.DeleteModel(
                    name='EscalationLevel',
                ),
                migrations.DeleteModel(
                    name='HistoricalClosureDay',
                ),
                migrations.DeleteModel(
                    name='HistoricalEscalationLevel',
                ),
                migrations.DeleteModel(
                    name='HistoricalOpenDay',
                ),
                migrations.DeleteModel(
                    name='HistoricalResolutionTarget',
                ),
                migrations.DeleteModel(
                    name='HistoricalStandardVersion',
                ),
                migrations.DeleteModel(
                    name='ResolutionTarget',
                ),
                migrations.DeleteModel(
                    name='StandardVersion',
                )
            ],
            database_operations=[],
        ),
    ]
