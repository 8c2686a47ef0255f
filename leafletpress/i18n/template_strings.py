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
    # TRANSLATORS: Printed in the warning box under the clinic's number. {hours} is when someone
    # answers, written by the clinic in this language.
    "clinic_hours": N_("Lines are open: {hours}"),
    # TRANSLATORS: Printed in the warning box when a clinic is named. {website} is a web address.
    "clinic_website": N_("Website: {website}"),
    # TRANSLATORS: Page 1, above the warning box, when no clinician has checked the leaflet's content.
    "notice_content_unreviewed": N_("A clinician has not yet checked the content of this leaflet."),
    # TRANSLATORS: Page 1, when the leaflet's content changed after a clinician checked it.
    "notice_content_stale": N_("This leaflet has changed since a clinician last checked it."),
    # TRANSLATORS: Page 1, when no clinician has checked this translation against the English.
    "notice_translation_unreviewed": N_("A clinician has not yet checked this translation."),
    # TRANSLATORS: Page 1, when the translation or its English changed after a clinician checked it.
    "notice_translation_stale": N_("This translation has changed since a clinician last checked it."),
    # TRANSLATORS: Page 1, when no clinician has checked either the content or this translation.
    "notice_both_unreviewed": N_("A clinician has not yet checked this leaflet or this translation."),
    # TRANSLATORS: Footer of every page of an edition a clinician has not checked (short).
    "footer_unchecked": N_("Not yet checked by a clinician"),
    # TRANSLATORS: End of the leaflet. {reviewer} is a person's name and role; {date} a date.
    "content_checked_by": N_("Content checked by {reviewer} on {date}."),
    # TRANSLATORS: End of the leaflet. {reviewer} is a person's name and role; {date} a date.
    "translation_checked_by": N_("Translation checked by {reviewer} on {date}."),
    # TRANSLATORS: Large diagonal mark across every page of a draft edition.
    "draft": N_("DRAFT – not for patient use"),
    # TRANSLATORS: Last page, above a QR code and the web address it holds.
    "qr_caption": N_("Read this leaflet online:"),
    # TRANSLATORS: Hidden description of the QR code picture, read aloud by screen readers.
    "qr_description": N_("QR code with the web address of this leaflet"),
    # TRANSLATORS: First line of an email to a patient. {clinic} is the clinic's name; {title} is
    # the leaflet's title.
    "email_from_clinic": N_("{clinic} is sending you this leaflet: {title}."),
    # TRANSLATORS: First line of an email to a patient when no clinic is named. {title} is the
    # leaflet's title.
    "email_from_your_clinic": N_("Your antenatal clinic is sending you this leaflet: {title}."),
    # TRANSLATORS: Email to a patient, after the first line: the leaflet comes as a file.
    "email_attached": N_("The leaflet is attached to this email as a PDF file."),
    # TRANSLATORS: Email to a patient, before the warning box's text, copied into the email.
    "email_warning_intro": N_("Please read this now, even if you do not open the file:"),
}

# Words printed inside the warning box: they must be translated like the box's own text.
WARNING_BOX_WORDS = frozenset({"warning_icon", "clinic_contact", "clinic_hours", "clinic_website"})
