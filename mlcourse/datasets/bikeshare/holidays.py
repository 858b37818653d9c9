"""Source 3 of the bike-share case study: public holidays on an **HTML page**.

The page is a file of the course, ``datasets/bike_sharing/holidays_2011_2012.html``;
:func:`read_holidays` scrapes its tables the way notebook 01 teaches.
See notebooks/01_data_collection.ipynb.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mlcourse.datasets._registry import dataset_path

__all__ = ["holidays_page_path", "read_holidays"]


def holidays_page_path() -> Path:
    """Path of ``datasets/bike_sharing/holidays_2011_2012.html`` (checksum verified).

    A web page listing the public holidays of Washington DC in 2011 and 2012: one table per
    year (``table.holidays``), with columns *Holiday*, *Date* and *Day off*; each date is an
    HTML ``<time datetime="YYYY-MM-DD">`` element.
    """
    return dataset_path("bike_sharing_holidays")


def read_holidays(html: str | None = None) -> pd.DataFrame:
    """The holiday tables of the page scraped into ``holiday, date, day_off`` (datetime64).

    Parameters
    ----------
    html : str, optional
        The page's HTML; by default the course's page (:func:`holidays_page_path`).
    """
    from bs4 import BeautifulSoup

    if html is None:
        html = holidays_page_path().read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rows = []
    for table in soup.select("table.holidays"):
        for tr in table.select("tbody tr"):
            cells = tr.find_all("td")
            rows.append({
                "holiday": cells[0].get_text(" ", strip=True),
                "date": cells[1].find("time")["datetime"],
                "day_off": cells[2].find("time")["datetime"],
            })
    frame = pd.DataFrame(rows, columns=["holiday", "date", "day_off"])
    for column in ("date", "day_off"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame

