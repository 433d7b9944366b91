import { COMPUTER_LEVELS, type ComputerLevel } from './computer';

const LABELS: Record<ComputerLevel, string> = { easy: 'Easy', medium: 'Medium', hard: 'Hard' };

/** How well the computer plays: three buttons, one pressed. */
export function LevelChoice({ value, onChange }: { value: ComputerLevel; onChange: (level: ComputerLevel) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Computer level">
      {COMPUTER_LEVELS.map((level) => (
        <button key={level} type="button" aria-pressed={value === level} onClick={() => onChange(level)}>
          {LABELS[level]}
        </button>
      ))}
    </div>
  );
}
