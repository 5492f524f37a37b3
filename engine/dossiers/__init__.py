"""Any process's dossiers: opening and reading them, the inbox and its tasks, timers, files, forms, and the step
runner through which every dossier moves."""
