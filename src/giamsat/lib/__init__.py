"""Small helpers every app uses and that depend on no app: text folding, month arithmetic.

Nothing here imports Django models, so any module may import from here at its top.
"""
