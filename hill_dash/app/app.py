"""The Dash application shell: the Dash object, the navigation bar and the page container.

Pages live one per module under `pages/` and register themselves; they never import this module. Everything the
browser loads (Bootstrap's CSS included) is served from `assets/`, so a study runs on a machine with no internet.
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, dcc, html

from hill_dash.app import security
from hill_dash.app.audio_routes import register_audio_routes
from hill_dash.app.context import get_store
from hill_dash.app.views.study_exports import register_exports
from hill_dash.jobs.managers import make_background_manager
from hill_dash.jobs.recovery import recover_runs
from hill_dash.settings import Settings

ASSETS = Path(__file__).parent / "assets"


def _navbar() -> dbc.Navbar:
    # Pages opt out with `nav=False` (a participant's session, a run's editor) and pages with URL variables
    # cannot be linked without them.
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"]))
        for page in dash.page_registry.values()
        if page.get("nav", True) and not page.get("path_template")
    ]
    return dbc.Navbar(
        dbc.Container([dbc.NavbarBrand("hill-dash", href="/"), dbc.Nav(links, navbar=True)], fluid=True),
        color="dark", dark=True, className="mb-3",
    )


def create_app(settings: Settings | None = None) -> Dash:
    """Build the app for one deployment. Settings are published to the environment for background workers."""
    settings = settings or Settings.from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.export_env()
    app = Dash(
        "hill_dash.app",
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=True,
        background_callback_manager=make_background_manager(settings),
        title="hill-dash",
        update_title=None,
    )
    app.server.secret_key = settings.secret_key
    app.server.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.server.config["HILL_SETTINGS"] = settings
    security.protect(app)
    # Runs a killed server left "running" go back to their last checkpoint before anyone opens them.
    recover_runs(get_store())
    # Plain Flask routes (audio upload and playback, CSV exports) are registered here, once, with the app.
    register_audio_routes(app.server)
    register_exports(app.server)
    app.layout = html.Div([dcc.Location(id="app-url"), html.Div(_navbar(), id="app-navbar"),
                           dbc.Container(dash.page_container, fluid=True)])
    # A participant's pages show their session only: no links to the rest of the app.
    app.clientside_callback(ClientsideFunction(namespace="hill", function_name="navbarStyle"),
                            Output("app-navbar", "style"), Input("app-url", "pathname"))
    return app
