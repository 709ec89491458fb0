import dash
import dash_bootstrap_components as dbc
from dash import html

dash.register_page(__name__, path="/", name="Home", order=0)


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H2("Human in the Latent Loop"),
            html.P(
                "Steer a neural network's training by reshaping its latent space: drag points, or whole classes by "
                "their centre cross, and your edits become a teacher signal for the next epochs."
            ),
            dbc.ListGroup(
                [
                    dbc.ListGroupItem("Latent editor: try the method on the offline scenario", href="/editor"),
                    dbc.ListGroupItem("Researchers: studies, recordings, transcripts, analysis", href="/researcher"),
                ]
            ),
        ]
    )
