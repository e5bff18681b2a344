"""spaCy components of ko_callner beyond the statistical ``ner``; each module registers one factory."""
