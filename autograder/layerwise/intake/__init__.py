"""What a TA hands over (notebooks, folders, zip archives, LMS downloads) turned into one
submission per student, with who they are.

The flow, one module per step: `entries` lists the files of each path by name and size;
`recognize` tells whose each file is from the LMS's naming (`names` for Canvas and Moodle,
`gradescope` for Gradescope's metadata); `identify` groups them per student and `choose` picks
the notebook to grade among one student's files (`notebook` reads them); `collect` drives it
and summarizes what was found. Nothing here imports the rest of the engine but its basics.
"""
