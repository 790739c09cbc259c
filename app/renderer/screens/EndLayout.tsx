// The parts the end screens (EndScreens.tsx) are built from.
import type { ReactNode } from 'react';
import { Title } from '../components/Title.tsx';

/**
 * Every end screen is a centred message: maybe a big icon, the title, one lead line, details,
 * then the buttons. One layout keeps them looking alike.
 */
export function EndLayout({
  icon,
  title,
  lead,
  children,
  actions,
}: {
  icon?: ReactNode;
  title: string;
  lead: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="center">
      {icon && (
        <div className="big-icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <Title>{title}</Title>
      <p className="lead">{lead}</p>
      {children}
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

export function ReceiptCode({ code, label }: { code: string | null; label: string }) {
  if (!code) return null;
  return (
    <div className="receipt">
      <p className="receipt-label">{label}</p>
      <p className="receipt-code" translate="no">
        {code}
      </p>
    </div>
  );
}

/** A code for staff, not for translation: shown as written in every language. */
export function StaffCode({ children }: { children: string }) {
  return (
    <p className="staff-code" translate="no">
      {children}
    </p>
  );
}
