"""Parts of the contract monitoring pages: exceptions, commentary and actions, their forms, data quality and
the quarter view's sections."""
