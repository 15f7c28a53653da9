"""One report's text to places, events and status.

The stages run in this order, each reading the records of the one before:

``sentences``  sentence and clause spans
``mentions``   spans that name a place (gazetteer automaton, borders, "the capital")
``resolve``    each mention to one gazetteer place, by context
``triggers``   the words that type an event
``events``     clauses to events: type, place, actors, certainty, attribution
``status``     per-place status and headlines
``timeline``   status as of a day, over many reports
``pipeline``   the whole parse of one report (``parse_report``, ``parse_text``)

Nothing here imports the store: parsing is pure, given a gazetteer.
"""
