"""Events of a topic: in-person help and hearings (a library evening where staff help
residents take part), shown on the topic and organisation pages, in the iCalendar files
and in the report; paper and event feedback can name the event where it was collected."""
