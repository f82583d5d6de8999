// The words the learner reads, kept together so they read as one voice.

export const PROGRAM = 'katas'

export const HELP = `Service Katas — learn Kubernetes Services by building them.

Usage: katas [COMMAND] [ARGS]

  katas                     watch mode: re-run the current kata's checks on every save
  katas list                every kata with its status and track, and where to continue
  katas check [KATA…]       run katas' checks once (default: the current kata); exit 0 when green
  katas hint [KATA] [--task N|SLUG] [--level N]
                            the next hint for a task (nudge → pointer → near-solution);
                            without --task, the first task of yours that is not green
  katas run FILE.ts         run your own TypeScript file (workspace/scratch/ has one per kata)
  katas reset KATA          restore the kata's stub files; your version is backed up first
  katas reset --undo KATA   restore the newest backup; again goes one further back
  katas deep KATA           the deep track: the kata's given functions become yours to write
  katas core KATA           back to the core path: the given code restored (backed up first)
  katas start KATA [--yes]  begin the course at KATA: the katas before it are given (workshops)
  katas solution KATA [--full] [--force]
                            the reference of your functions (once the kata is green)
  katas doctor              check Node, the workspace, the given code and the file watcher
  katas serve [--port N]    the lessons as a website on 127.0.0.1, with your check status
  katas stop                stop the background checker (it also stops after 10 idle minutes)
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
