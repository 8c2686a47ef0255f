"""Stage 2, translation: catalogs read strictly, checked, gated; the translators' workflow."""
