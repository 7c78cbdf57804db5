"""`flask --app wsgi inspections replay-draw CAMPAIGN_ID`: re-run a campaign's draw from its
published inputs (frame, seed, declared conflicts) and print it, saying whether it matches."""
import click
from flask.cli import AppGroup

from supervision.extensions import db

inspections_cli = AppGroup("inspections", help="Spot-check campaigns (双随机、一公开).")


@inspections_cli.command("replay-draw")
@click.argument("campaign_id", type=int)
def replay_draw(campaign_id: int) -> None:
    from supervision.inspections.campaigns import replay
    from supervision.inspections.draw import frame_hash, sha256_hex
    from supervision.inspections.models import Campaign

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "drawn":
        raise click.ClickException(f"campaign {campaign_id} does not exist or is not drawn yet")
    if frame_hash(campaign.frame) != campaign.frame_hash or sha256_hex(campaign.seed) != campaign.seed_hash:
        raise click.ClickException("the stored frame or seed does not match its published hash")
    result = replay(campaign.frame, campaign.seed, campaign.conflicts)
    click.echo(f"campaign {campaign.id} · frame {campaign.frame_hash} · seed {campaign.seed}")
    for operator_id in result["operators"]:
        click.echo(f"operator {operator_id} (p={result['probabilities'][str(operator_id)]}): "
                   f"{', '.join(result['inspectors'][str(operator_id)])}")
    for recusal in result["recusals"]:
        click.echo(f"recused: {recusal['username']} for operator {recusal['operator_id']}")
    same = result == campaign.result
    click.echo("matches the published result" if same else "DOES NOT MATCH the published result")
    if not same:
        raise SystemExit(1)
