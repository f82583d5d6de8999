// A field path such as `spec.ports[1].name`, built the way the API server builds it.
// @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.33.0/pkg/util/validation/field/path.go

export class Path {
  private constructor(
    private readonly parent: Path | undefined,
    private readonly part: string,
  ) {}

  /** `NewPath("spec", "ports")` → `spec.ports`. */
  static of(name: string, ...more: string[]): Path {
    let p = new Path(undefined, name)
    for (const m of more) p = p.child(m)
    return p
  }

  /** `.name` */
  child(name: string, ...more: string[]): Path {
    let p = new Path(this, `.${name}`)
    for (const m of more) p = p.child(m)
    return p
  }

  /** `[3]` */
  index(i: number): Path {
    return new Path(this, `[${i}]`)
  }

  /** `[app.kubernetes.io/name]` — map keys are not quoted. */
  key(k: string): Path {
    return new Path(this, `[${k}]`)
  }

  toString(): string {
    const own = this.parent === undefined && this.part.startsWith('.') ? this.part.slice(1) : this.part
    return this.parent === undefined ? own : `${this.parent.toString()}${this.part}`
  }
}

/** Shorthand for `Path.of`. */
export const newPath = Path.of
