// The words the learner reads, kept together so they read as one voice.

export const PROGRAM = 'katas'

export const HELP = `Service Katas — learn Kubernetes Services by building them.

Usage: katas [COMMAND] [ARGS]

  katas                     watch mode: re-run the current kata's checks on every save
  katas list                every kata with its status, and where to continue
  katas check [KATA]        run a kata's checks once (default: the current kata); exit 0 when green
  katas hint KATA [--level N]
                            the next hint (nudge → pointer → near-solution), or hint N
  katas reset KATA          restore the kata's stub files; your version is backed up first
  katas reset --undo KATA   bring back the version saved by the last reset
  katas solution KATA [--force]
                            show the reference solution (once the kata is green)
  katas doctor              check Node, the workspace and the file watcher
  katas serve [--port N]    the lessons as a website on 127.0.0.1, with your check status
  katas grade [DIR…]        grade learner checkouts (workshops, CI); see katas grade --help
  katas kubectl VERB …      drive a simulated kind cluster built from your model (see katas help kubectl)
  katas curl URL            curl the simulated cluster from outside (a NodePort, a load balancer)
  katas cluster COMMAND     reset, status, node-down/node-up, pod-not-ready/pod-ready, wait, use
  katas help                this text

KATA is a number (3, 03) or a name (endpoints, 03-endpoints).
Your code lives in workspace/ — edit it in any editor. Progress is kept in
workspace/.katas/state.json, which you can commit with your work.`

export const WATCH_KEYS = 'n next · h hint · l list · r re-run · x reset · q quit'

export const ALL_DONE = 'Every kata is green. You have built a model of Kubernetes Services — well done!'

export const NO_TTY_WATCH =
  'Watch mode needs an interactive terminal (stdin is not a TTY). Use `katas check` in scripts.'
