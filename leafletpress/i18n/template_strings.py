"""The template's own words: the "leafletpress" gettext domain.

Every string the page needs besides the leaflet's content is named here, so the build can translate
and check all of them before rendering. `pybabel extract` finds them through the `N_` marker.
"""

TEMPLATE_DOMAIN = "leafletpress"


def N_(message: str) -> str:
    """Marks a string for extraction; translation happens later, with the edition's catalog."""
    return message


TEMPLATE_WORDS = {
    # TRANSLATORS: Footer of every page. Keep {page} and {pages}: they become the numbers.
    "page_of": N_("Page {page} of {pages}"),
    # TRANSLATORS: Footer. {version} is a number such as 1.0.
    "version": N_("Version {version}"),
    # TRANSLATORS: Footer. {date} is the date by which the leaflet must be checked again.
    "review_date": N_("Review date: {date}"),
    # TRANSLATORS: End of the leaflet. {date} is the date the leaflet was published.
    "published": N_("Published: {date}"),
    # TRANSLATORS: Heading of the list of sources at the end of the leaflet.
    "sources": N_("Sources"),
    # TRANSLATORS: End of the leaflet. {publisher} is the organisation's name, not translated.
    "produced_by": N_("Produced by {publisher}."),
    # TRANSLATORS: Hidden description of the warning-triangle picture, read aloud by screen readers.
    "warning_icon": N_("Warning"),
    # TRANSLATORS: Printed in the warning box when a clinic is named. Keep {clinic} and {phone}.
    "clinic_contact": N_("Call {clinic} on {phone}."),
    # TRANSLATORS: Printed in the warning box under the clinic's number. {hours} is when someone answers.
    "clinic_hours": N_("Lines are open: {hours}"),
    # TRANSLATORS: Printed in the warning box when a clinic is named. {website} is a web address.
    "clinic_website": N_("Website: {website}"),
    # TRANSLATORS: Footer of every page of a translation no clinician has checked yet.
    "unreviewed": N_("This translation has not yet been checked by a clinician."),
    # TRANSLATORS: Footer of every page when the English leaflet changed after the clinical check.
    "stale": N_("The English leaflet has changed since a clinician checked this translation."),
    # TRANSLATORS: Large diagonal mark across every page of a draft edition.
    "draft": N_("DRAFT – not for patient use"),
}

# Words printed inside the warning box: they must be translated like the box's own text.
WARNING_BOX_WORDS = frozenset({"warning_icon", "clinic_contact", "clinic_hours", "clinic_website"})
