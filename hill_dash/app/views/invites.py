"""Participant links shown to the researcher exactly once (the store keeps only a hash of each token)."""

from __future__ import annotations

import csv
import io
import urllib.parse
from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from hill_dash.app.views.flow import participant_link

ONCE_NOTE = ("Copy these links now: they are shown only this once (only a hash is stored). If a link is lost, "
             "“reset link” on the study page makes a new one and the old one stops working.")


def links_panel(links: Sequence[tuple[str, str]], base_url: str, title: str) -> dbc.Alert:
    """A list of (participant code, token) as clickable absolute links, with the show-once note."""
    rows = [html.Li([html.Strong(code), ": ", html.A(participant_link(token, base_url),
                                                     href=participant_link(token), className="hill-invite-link",
                                                     target="_blank")])
            for code, token in links]
    download = html.A("Download these links as CSV", href=links_csv_href(links, base_url), download="links.csv",
                      className="btn btn-outline-primary btn-sm mb-2 hill-invites-csv")
    return dbc.Alert([html.H5(title), download, html.Ul(rows), html.P(ONCE_NOTE, className="small mb-0")],
                     color="info", className="hill-invites")


def links_csv(links: Sequence[tuple[str, str]], base_url: str) -> str:
    """The links as CSV (participant, link): made in the browser's memory, never stored on the server."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["participant", "link"])
    writer.writerows((code, participant_link(token, base_url)) for code, token in links)
    return buffer.getvalue()


def links_csv_href(links: Sequence[tuple[str, str]], base_url: str) -> str:
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(links_csv(links, base_url))
