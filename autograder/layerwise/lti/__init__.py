"""LTI 1.3 Advantage for `layerwise serve`: launches, deep linking and grades back to the LMS.

The package knows nothing of the service's tables: it keeps its own (`models.METADATA`, every
table prefixed `lti_`) and reaches the service only through the callbacks of `ports`.
"""
